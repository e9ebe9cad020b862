"""R-14: a socially significant message reaches the Governor's office at once — in the app, by e-mail and in a
Telegram chat (the loopback fake Bot API records sendMessage) — and only once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.alerts import AlertRefused, mark_significant, retry_alerts
from otklik.notify.models import Alert, Notice
from otklik.org.models import Municipality
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

TEXT = "В Кировске прорвало трубу, затоплена школа №2, дети эвакуированы"
CHAT = "-100777"


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": CHAT}
        settings.OTKLIK_ALERT_EMAILS = ["governor-office@example.org"]
        yield fake


def _message() -> Message:
    return Message.objects.create(
        network="vk",
        external_id="wall-1_900",
        url="https://vk.com/wall-1_900",
        author_name="Анна",
        text=TEXT,
        metrics={"views": 12500, "likes": 340},
        published_at=msk(2025, 10, 1, 8, 0),
    )


def test_marking_a_case_significant_alerts_in_app_by_mail_and_telegram_once(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.observer.email = "observer@example.org"
    p.observer.save()
    kirovsk = Municipality.objects.create(name="Кировский муниципальный район")
    case = actions.dispatch_case(
        p.curator, [_message()], [Route(p.health)], municipality=kirovsk, now=msk(2025, 10, 1, 9, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        marked = mark_significant(
            p.curator, case=case, note="Нужна реакция сегодня", base_url="https://otklik.example"
        )
    assert marked.new
    alert = marked.alert
    sent = telegram.calls("sendMessage")
    assert len(sent) == 1
    params = sent[0].params
    assert str(params["chat_id"]) == CHAT
    text = params["text"]
    assert TEXT in text and "Кировский муниципальный район" in text and "просмотров: 12500" in text
    assert "https://vk.com/wall-1_900" in text and f"https://otklik.example/cases/{case.pk}/" in text
    assert "Нужна реакция сегодня" in text
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT
    notice = Notice.objects.get(recipient=p.observer)
    assert notice.kind == "alert" and f"обращение № {case.pk}" in notice.title
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"observer@example.org", "governor-office@example.org"}
    # marking the same case again (or its message) does not alert twice
    with django_capture_on_commit_callbacks(execute=True):
        again = mark_significant(p.curator, case=case)
    assert not again.new and again.alert.pk == alert.pk and len(telegram.calls("sendMessage")) == 1
    with django_capture_on_commit_callbacks(execute=True):
        by_message = mark_significant(p.curator, message=case.messages.get())
    assert not by_message.new and by_message.alert.pk == alert.pk and len(telegram.calls("sendMessage")) == 1
    assert Notice.objects.filter(recipient=p.observer).count() == 1 and Alert.objects.count() == 1


def test_a_message_marked_before_its_case_is_not_alerted_again_for_the_case(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    """R-14: one alert per event, whichever of the message or its case the curator marks first."""
    p = personas
    msg = _message()
    with django_capture_on_commit_callbacks(execute=True):
        first = mark_significant(p.curator, message=msg)
    case = actions.dispatch_case(p.curator, [msg], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        second = mark_significant(p.curator, case=case, note="Обращение создано")
    assert first.new and not second.new and second.alert.pk == first.alert.pk
    assert second.note == "added" and Alert.objects.count() == 1 and len(telegram.calls("sendMessage")) == 1


def test_only_a_curator_marks_and_a_failed_telegram_delivery_is_retried(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    msg = _message()
    with pytest.raises(AlertRefused, match="куратор"):
        mark_significant(p.alice, message=msg)
    telegram.fail("sendMessage", error_code=500, description="Internal Server Error")
    with django_capture_on_commit_callbacks(execute=True):
        alert = mark_significant(p.curator, message=msg).alert
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED and "500" in alert.telegram_error
    assert retry_alerts() == 1
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT and alert.telegram_attempts == 2
    assert len([c for c in telegram.calls("sendMessage")]) == 2


def test_the_curator_marks_from_the_alerts_page_and_the_observer_reads_it(
    personas: Personas, telegram: FakeTelegram, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    msg = _message()
    client.force_login(p.curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notify/significant/", {"message": str(msg.pk), "note": ""})
    assert response.status_code == 302
    assert len(telegram.calls("sendMessage")) == 1
    client.force_login(p.observer)
    page = client.get("/notify/alerts/")
    assert page.status_code == 200 and f"сообщение № {msg.pk}" in page.content.decode()
    client.force_login(p.alice)
    assert client.post("/notify/significant/", {"message": str(msg.pk)}).status_code == 403


def test_a_message_in_a_case_is_marked_under_its_case_so_both_marks_meet_at_one_key(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    """R-14: two curators marking a message and its case at the same moment meet at the alert's unique key."""
    p = personas
    msg = _message()
    case = actions.dispatch_case(p.curator, [msg], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        marked = mark_significant(p.curator, message=msg)
    assert marked.new and marked.alert.key == f"significant:case:{case.pk}"
    assert marked.alert.title == f"Общественно значимое: сообщение № {msg.pk}"
