"""R-14: the curator marks a message as socially significant; the alert goes to the Governor's office in the app,
by e-mail and to the Telegram chat. The curator is now told what each channel did: when the mail server refuses the
office's address (550), the message after the mark says the letter was not delivered and why, in Russian; the alerts
page has a «Почта» column beside «Telegram» with each letter's state (sent, being sent, failed and retried, given
up), the refused address and the reason, and «Отправить письмо снова» as Telegram has its resend button. Before, the
mark said only «Оповещение отправлено в аппарат Губернатора», the page had only a Telegram column, and only an
administrator opening «Письма» in the admin could find the failure (letters were not linked to their alerts).
Found by a review (session 20)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otklik.intake.models import Message
from otklik.notify.models import MAIL_LEASE, Alert, Mail
from tests.conftest import Personas
from tests.fakes.smtp import FakeSMTP, fake_smtp
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db(transaction=True)

OFFICE = "priemnaya@example.org"


@pytest.fixture
def smtp(settings: Any) -> Iterator[FakeSMTP]:
    """A mail server that does not know the office's address (550 to every recipient) until `refuse` is off."""
    settings.OTKLIK_ALERT_EMAILS = OFFICE
    with fake_smtp(settings) as server:
        server.refuse = True
        yield server


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": "-100200300"}
        yield fake


def test_r14_the_curator_sees_on_the_alerts_page_that_the_alert_e_mail_to_the_governors_office_was_refused(
    personas: Personas, smtp: Any, telegram: FakeTelegram
) -> None:
    message = Message.objects.create(
        network="vk", external_id="k-1", url="https://vk.com/wall-1_1", text="Обрушилась кровля школы в Луге"
    )
    curator = Client()
    curator.force_login(personas.curator)
    said = curator.post("/notify/significant/", {"message": str(message.pk)}, follow=True).content.decode()
    assert "Оповещение отправлено в аппарат Губернатора" in said
    alert = Alert.objects.get()
    letter = Mail.objects.get()
    assert (
        letter.state == Mail.State.FAILED and "SMTPRecipientsRefused" in letter.error
    )  # kept, with its reason
    assert alert.telegram_state == Alert.Delivery.SENT

    page = curator.get("/notify/alerts/").content.decode()
    row = re.sub(r"\s+", " ", page.split(alert.title, 1)[1].split("</tr>", 1)[0])
    assert re.search(r"(?i)e-mail|почт|письм", row), (
        "the alerts page says nothing of the e-mail the mail server refused; the row reads: " + row[-300:]
    )
    # the curator was told at once which channel did not deliver, and why
    told = re.sub(r"\s+", " ", said)
    assert "Письмо не доставлено: Почтовый сервер отказался принять письмо для адресов" in told, told
    assert f"{OFFICE} (ответ 550)" in told and "В Telegram доставлено." in told
    # the row: the letter's state, the refused address and the reason, the attempts and the resend button
    assert "ошибка отправки" in row and f"кому: {OFFICE}" in row
    assert (
        f"Почтовый сервер отказался принять письмо для адресов {OFFICE} (ответ 550): проверьте адреса." in row
    )
    assert "будет отправлено повторно автоматически" in row and "попыток: 1" in row
    assert "Отправить письмо снова" in row and 'name="channel" value="email"' in row
    assert letter.alert_id == alert.pk

    # the resend while the address is still refused: the reason again, one attempt more, nothing sent
    again = curator.post(f"/notify/alerts/{alert.pk}/resend/", {"channel": "email"}, follow=True)
    assert "не отправлено: Почтовый сервер отказался принять письмо" in again.content.decode()
    letter.refresh_from_db()
    assert (letter.state, letter.attempts, len(smtp.letters)) == (Mail.State.FAILED, 2, 0)
    assert len(telegram.calls("sendMessage")) == 1  # the e-mail's resend leaves Telegram alone

    # the administrator has the address fixed: the resend delivers it, and the page says so
    smtp.refuse = False
    done = curator.post(f"/notify/alerts/{alert.pk}/resend/", {"channel": "email"}, follow=True)
    assert f"Письмо оповещения «{alert.title}» отправлено." in done.content.decode()
    letter.refresh_from_db()
    assert (letter.state, len(smtp.letters)) == (Mail.State.SENT, 1)
    page = curator.get("/notify/alerts/").content.decode()
    row = re.sub(r"\s+", " ", page.split(alert.title, 1)[1].split("</tr>", 1)[0])
    assert "Отправить письмо снова" not in row and "ошибка отправки" not in row
    assert re.search(r"отправлено \d\d\.\d\d\.\d{4} \d\d:\d\d", row), row


def test_r14_the_curator_is_told_the_alert_went_by_e_mail_and_to_telegram(
    personas: Personas, settings: Any, telegram: FakeTelegram
) -> None:
    """All channels deliver: the mark says so, channel by channel; the alerts page shows the letter sent."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OTKLIK_ALERT_EMAILS = OFFICE
    message = Message.objects.create(
        network="vk", external_id="k-2", url="https://vk.com/wall-1_2", text="Прорыв теплотрассы в Тосно"
    )
    curator = Client()
    curator.force_login(personas.curator)
    said = curator.post("/notify/significant/", {"message": str(message.pk)}, follow=True).content.decode()
    assert "Оповещение отправлено в аппарат Губернатора" in said
    assert "Письмо отправлено. В Telegram доставлено." in said and "не доставлено" not in said
    page = curator.get("/notify/alerts/").content.decode()
    assert "Отправить письмо снова" not in page and f"кому: {OFFICE}" in page


def test_r14_the_alerts_page_leaves_a_letter_being_sent_to_its_attempt_and_offers_one_whose_sender_stopped(
    personas: Personas,
) -> None:
    """A letter being handed to the mail server reads «отправляется» with no button; one left so past
    `MAIL_LEASE` (its process stopped) says the attempt did not finish and offers «Отправить письмо снова»."""
    now = timezone.now()
    busy = Alert.objects.create(
        kind="significant", key="k:1", title="Пожар на складе в Тосно", text="…", created_at=now
    )
    stuck = Alert.objects.create(
        kind="significant", key="k:2", title="Нет воды в Кировске", text="…", created_at=now
    )
    for alert, claimed in ((busy, now), (stuck, now - MAIL_LEASE - timedelta(minutes=1))):
        Mail.objects.create(
            alert=alert, to=[OFFICE], subject=f"Отклик: {alert.title}", created_at=now,
            state=Mail.State.SENDING, attempts=1, claimed_at=claimed,
        )  # fmt: skip
    curator = Client()
    curator.force_login(personas.curator)
    page = curator.get("/notify/alerts/").content.decode()

    def row(alert: Alert) -> str:
        return re.sub(r"\s+", " ", page.split(alert.title, 1)[1].split("</tr>", 1)[0])

    assert "отправляется" in row(busy) and "Отправить письмо снова" not in row(busy)
    assert "Попытка отправки не завершилась" in row(stuck) and "Отправить письмо снова" in row(stuck)


def test_r14_letters_written_before_the_link_are_linked_to_their_alerts_by_the_migration() -> None:
    """Migration notify 0008 links the letters of alerts raised before it (same subject, written with the alert)."""
    from django.apps import apps

    link_letters = importlib.import_module("otklik.notify.migrations.0008_mail_alert").link_letters
    now = timezone.now()
    alert = Alert.objects.create(
        kind="surge", key="surge:1", title="Всплеск: ЖКХ, Гатчина", text="…", created_at=now
    )
    ours = Mail.objects.create(
        to=[OFFICE], subject=f"Отклик: {alert.title}", created_at=now + timedelta(seconds=2)
    )
    other = Mail.objects.create(
        to=[OFFICE], subject=f"Отклик: {alert.title}", created_at=now + timedelta(days=1)
    )
    link_letters(apps, None)
    ours.refresh_from_db()
    other.refresh_from_db()
    assert (ours.alert_id, other.alert_id) == (alert.pk, None)
