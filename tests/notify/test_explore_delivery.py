"""R-14, R-13: an alert or a report whose e-mail or Telegram message could not go out (the mail server or Telegram
is down) is kept, logged and sent again later — never lost without a trace."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from otklik.notify.alerts import raise_alert
from otklik.notify.models import Alert, Mail, Notice
from otklik.notify.tasks import resend_alerts
from otklik.reports.delivery import deliver_monthly
from otklik.reports.models import ReportRun
from tests.conftest import Personas, msk
from tests.fakes.base import FakeServer, Request, Response
from tests.fakes.telegram import FakeTelegram
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db

STALE = timedelta(minutes=11)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_down(settings: Any) -> None:
    """A real SMTP backend pointed at a loopback port where no mail server listens (connection refused)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.OTKLIK_MAIL_PAUSE_SECONDS = 0  # no pause after a failure, but in the test of the pause itself


def _smtp_back(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": "-100777"}
        yield fake


def test_r14_alert_email_is_kept_logged_and_resent_when_the_mail_server_was_down(
    personas: Personas,
    smtp_down: None,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    personas.observer.email = "observer@example.org"
    personas.observer.save()
    caplog.set_level(logging.WARNING, logger="otklik.notify")
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(
            "significant", "significant:message:1", "Прорыв трубы в Кировске", "Затоплена школа"
        )
    assert alert is not None
    assert Notice.objects.filter(recipient=personas.observer, title="Прорыв трубы в Кировске").exists()
    kept = Mail.objects.get()
    assert kept.state == Mail.State.FAILED and kept.to == ["observer@example.org"]
    assert "ConnectionRefusedError" in kept.error
    assert any(f"mail {kept.pk}" in r.getMessage() and "not sent" in r.getMessage() for r in caplog.records)

    resend_alerts.call()  # still down: kept, one more attempt (no pause between attempts here)
    kept.refresh_from_db()
    assert kept.state == Mail.State.FAILED and kept.attempts == 2

    _smtp_back(settings)
    resend_alerts.call()
    assert [m.to for m in mail.outbox] == [["observer@example.org"]]
    assert (
        mail.outbox[0].subject == "Отклик: Прорыв трубы в Кировске"
        and "Затоплена школа" in mail.outbox[0].body
    )
    kept.refresh_from_db()
    assert kept.state == Mail.State.SENT and kept.error == ""
    resend_alerts.call()  # sent once, never twice
    assert len(mail.outbox) == 1


def test_r13_monthly_report_email_with_its_files_goes_out_once_the_mail_server_is_back(
    personas: Personas, smtp_down: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.observer.email = "observer@example.org"
    p.observer.save()
    build_october(p)
    ReportRun.objects.create(
        kind="monthly", period_key="2025-09", created_at=msk(2025, 10, 1), delivered_at=msk(2025, 10, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = deliver_monthly(msk(2025, 11, 1, 8, 0))
    assert run is not None and run.delivered_at is not None
    assert Mail.objects.get().state == Mail.State.FAILED

    _smtp_back(settings)
    resend_alerts.call()
    (sent,) = mail.outbox
    assert sent.subject == "Отклик: Ежемесячный отчёт за октябрь 2025"
    assert [a[0] for a in sent.attachments] == ["otklik-monthly-2025-10.xlsx", "otklik-monthly-2025-10.pdf"]
    assert sent.attachments[1][1][:5] == b"%PDF-"


def test_r14_failed_telegram_delivery_is_logged_and_retried(
    personas: Personas,
    telegram: FakeTelegram,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    telegram.fail("sendMessage", error_code=500, description="Internal Server Error")
    caplog.set_level(logging.WARNING, logger="otklik.notify")
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert("significant", "significant:message:2", "Отключение света", "Нет света в Луге")
    assert alert is not None
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED and "Internal Server Error" in alert.telegram_error
    assert any(
        f"alert {alert.pk}" in r.getMessage() and "Telegram delivery failed" in r.getMessage()
        for r in caplog.records
    )
    resend_alerts.call()
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT
    assert [c.params["text"].splitlines()[0] for c in telegram.calls("sendMessage")] == [
        "⚠ Отключение света",
        "⚠ Отключение света",
    ]


class _BrokenJsonTelegram(FakeServer):
    """A proxy in front of Telegram that answers with a cut JSON body."""

    def handle(self, request: Request) -> Response:
        return Response(502, b'{"ok": false, "descr', {"Content-Type": "application/json"})


def test_r14_a_garbled_telegram_answer_marks_the_alert_failed_instead_of_breaking_the_request(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with _BrokenJsonTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": "1:x", "chat_id": "-1"}
        with django_capture_on_commit_callbacks(execute=True):
            alert = raise_alert("significant", "significant:message:3", "Пожар", "Горит склад")
    assert alert is not None
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED
    assert alert.telegram_error.startswith("502:") and alert.telegram_attempts == 1


def test_r14_after_the_server_could_not_be_reached_the_other_letters_wait_instead_of_each_timing_out(
    personas: Personas, smtp_down: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Two letters in one transaction (a sweep's reminders): the first meets a closed port, the second is not tried
    (it would wait for its own timeout) but kept; both go out once the server is back."""
    from otklik.notify.services import queue_mail

    settings.OTKLIK_MAIL_PAUSE_SECONDS = 60
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_mail(["a@example.org"], "Отклик: первое", "Текст")
        second = queue_mail(["b@example.org"], "Отклик: второе", "Текст")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.attempts) == (Mail.State.FAILED, 1)
    assert (second.state, second.attempts) == (Mail.State.PENDING, 0)
    _smtp_back(settings)
    resend_alerts.call()  # the failed one at once; a pending one once it is 10 minutes old
    from otklik.notify.services import retry_mail

    retry_mail(now=second.created_at + STALE)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]


def test_r14_a_mail_backend_that_cannot_start_keeps_the_letter_and_breaks_nothing(
    personas: Personas, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The file backend (the default without EMAIL_HOST) whose folder is a plain file: the transaction's own work
    stands, the letter is kept with the reason."""
    from otklik.notify.services import queue_mail

    blocker = tmp_path / "mail"
    blocker.write_text("not a folder")
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(blocker)
    with django_capture_on_commit_callbacks(execute=True):
        kept = queue_mail(["a@example.org"], "Отклик: проверка", "Текст")
    kept.refresh_from_db()
    assert kept.state == Mail.State.FAILED and kept.attempts == 1
    assert "ImproperlyConfigured" in kept.error
