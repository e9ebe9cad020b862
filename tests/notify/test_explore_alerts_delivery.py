"""R-14 as the Governor's office duty officer relies on it: an alert reaches the office's Telegram chat when the
chat was upgraded to a supergroup, a chat the bot cannot write to is a visible Russian failure while the app and
the e-mail still deliver, the periodic resend never makes a second copy, a long text is cut but keeps its link and
place, and a mistyped address list does not stop the e-mail to everyone else."""

from __future__ import annotations

import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.alerts import mark_significant, raise_alert
from otklik.notify.models import Alert, Mail, Notice
from otklik.notify.tasks import resend_alerts
from otklik.org.models import Municipality
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

OLD_GROUP = -4001234
NEW_SUPERGROUP = -1002003004005


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {
            "base_url": fake.url,
            "token": fake.token,
            "chat_id": str(OLD_GROUP),
        }
        yield fake


def _sent_to(fake: FakeTelegram) -> list[int]:
    return [int(p["chat_id"]) for p in fake.published]


def test_r14_an_alert_reaches_the_chat_after_it_was_upgraded_to_a_supergroup(
    personas: Personas, telegram: FakeTelegram, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    """R-14: Telegram answers 400 «group chat was upgraded to a supergroup chat» with migrate_to_chat_id; the alert
    goes to the new chat, the administrator is told in Russian to change the setting, and later alerts go there
    at once."""
    telegram.upgraded[OLD_GROUP] = NEW_SUPERGROUP
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert("significant", "significant:message:1", "Прорыв трубы", "Затоплена школа")
    assert alert is not None
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT
    assert _sent_to(telegram) == [NEW_SUPERGROUP]
    assert str(NEW_SUPERGROUP) in alert.telegram_error

    client.force_login(personas.admin)
    page = client.get("/notify/alerts/").content.decode()
    assert "супергрупп" in page and str(NEW_SUPERGROUP) in page

    with django_capture_on_commit_callbacks(execute=True):
        raise_alert("significant", "significant:message:2", "Отключение света", "Нет света в Луге")
    assert _sent_to(telegram) == [NEW_SUPERGROUP, NEW_SUPERGROUP]
    resend_alerts.call()  # nothing left to send, nothing sent twice
    assert len(telegram.published) == 2


@pytest.mark.parametrize(
    ("chat_state", "shown"),
    [("kicked", "Бот исключён из чата"), ("missing", "Чат не найден")],
)
def test_r14_a_chat_the_bot_cannot_write_to_is_a_russian_failure_and_the_office_still_gets_the_alert(
    personas: Personas,
    telegram: FakeTelegram,
    client: Client,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    chat_state: str,
    shown: str,
) -> None:
    """R-14: 403 «bot was kicked» / 400 «chat not found» — kept as a failure the administrator reads in Russian;
    the in-app notice and the e-mail go out all the same."""
    getattr(telegram, chat_state).add(OLD_GROUP)
    settings.OTKLIK_ALERT_EMAILS = "priemnaya@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert("significant", "significant:message:3", "Пожар в Тосно", "Горит склад")
    assert alert is not None
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED
    assert Notice.objects.filter(recipient=personas.observer, title="Пожар в Тосно").exists()
    assert [m.to for m in mail.outbox] == [["priemnaya@example.org"]]
    client.force_login(personas.admin)
    page = client.get("/notify/alerts/").content.decode()
    assert shown in page


def test_r14_the_periodic_resend_does_not_send_an_alert_whose_own_send_is_still_due(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    """R-14: the resend task running while a fresh alert is being committed and sent must not send a second
    copy of it."""
    telegram.upgraded.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alert = raise_alert("significant", "significant:message:4", "Обрушение моста", "Мост в Луге")
        resend_alerts.call()  # the worker's run at this very moment
        assert telegram.published == []  # a fresh alert is left to its own send (which claims the attempt)
    for callback in callbacks:
        callback()
    assert alert is not None
    assert len(telegram.published) == 1
    resend_alerts.call()
    assert len(telegram.published) == 1


def test_r14_a_long_comment_is_cut_but_the_telegram_message_keeps_the_place_audience_and_link(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    """R-14: Telegram takes at most 4096 characters; a long text is cut, the place, the audience and the link the
    duty officer acts on are kept."""
    p = personas
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_555",
        url="https://vk.com/wall-1_555",
        author_name="Анна",
        text="В Кировске прорвало трубу 🚰 <b>&amp; школа_№2 *затоплена*",
        published_at=msk(2025, 10, 1, 8, 0),
        metrics={"views": 15000},
    )
    kirovsk = Municipality.objects.create(name="Кировский муниципальный район")
    case = actions.dispatch_case(
        p.curator, [message], [Route(p.health)], municipality=kirovsk, now=msk(2025, 10, 1, 9, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        marked = mark_significant(
            p.curator, message=message, note="Срочно! " * 800, base_url="https://otklik.test"
        )
    assert marked.new
    (sent,) = telegram.published
    text = sent["text"]
    assert len(text) <= 4096  # Telegram counts characters (code points), not UTF-16 units
    assert text.startswith("⚠ Общественно значимое")
    assert "<b>&amp; школа_№2 *затоплена*" in text  # shown as the citizen wrote it, no markup
    assert "Место: Кировский муниципальный район" in text and "Аудитория: просмотров: 15000" in text
    assert text.rstrip().endswith(
        f"Сообщение в сети: https://vk.com/wall-1_555\nОбращение № {case.pk}: https://otklik.test/cases/{case.pk}/"
    )
    marked.alert.refresh_from_db()
    assert marked.alert.telegram_state == Alert.Delivery.SENT


# --- e-mail through a real SMTP conversation on a loopback port ---------------------------------------------------


class _SMTP(socketserver.StreamRequestHandler):
    """A minimal SMTP server: refuses the recipients in `server.refused` (550), keeps each accepted letter."""

    def _say(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        server: Any = self.server
        self._say("220 fake ESMTP")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline().decode("utf-8", "replace").strip()
            verb = line[:4].upper()
            if not line or verb == "QUIT":
                self._say("221 bye")
                return
            if verb in ("EHLO", "HELO"):
                self._say("250 fake")
            elif verb == "MAIL":
                recipients = []
                self._say("250 ok")
            elif verb == "RCPT":
                address = line.split(":", 1)[1].strip().strip("<>")
                if address in server.refused:
                    self._say("550 5.1.1 no such user")
                else:
                    recipients.append(address)
                    self._say("250 ok")
            elif verb == "DATA":
                self._say("354 go on")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                server.letters.append((recipients, b"".join(data)))
                self._say("250 queued")
            else:
                self._say("250 ok")


@pytest.fixture
def smtp(settings: Any) -> Iterator[Any]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTP)
    server.daemon_threads = True
    server.refused = set()  # type: ignore[attr-defined]
    server.letters = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.shutdown()
    server.server_close()


def test_r14_a_semicolon_or_a_typo_in_the_office_addresses_does_not_stop_the_email_to_the_others(
    personas: Personas, smtp: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """R-14: OTKLIK_ALERT_EMAILS written with «;» and one broken address; the observers and every valid address
    still get the alert, with its Russian subject."""
    personas.observer.email = "observer@example.org"
    personas.observer.save()
    settings.OTKLIK_ALERT_EMAILS = "priemnaya@example.org; duty@example.org, dezhurny@@example.org"
    smtp.refused.add("duty@example.org")  # and the server does not know one of them
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert("significant", "significant:message:5", "Прорыв трубы в Кировске", "Затоплена школа")
    kept = Mail.objects.get()
    assert kept.state == Mail.State.SENT, kept.error
    ((recipients, data),) = smtp.letters
    assert sorted(recipients) == ["observer@example.org", "priemnaya@example.org"]
    letter = email.message_from_bytes(data, policy=email.policy.default)
    assert str(letter["Subject"]).strip() == "Отклик: Прорыв трубы в Кировске"
