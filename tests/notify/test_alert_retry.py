"""R-14: an alert for the Governor's office outlives a Telegram outage of hours, and the office can send it again.

Before: the resend task gave an alert ten tries, one a run every 10 minutes, and then never again; an outage of two
hours (or a bot kicked from the chat and added back in the afternoon) meant the alert never reached the chat, and
the page still promised «будет отправлено повторно автоматически»."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from otklik.notify.alerts import raise_alert, retry_alerts
from otklik.notify.models import Alert
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

CHAT = -1002003004005


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": str(CHAT)}
        yield fake


def tries(fake: FakeTelegram) -> int:
    return len(fake.calls("sendMessage"))


def alert_during_outage(fake: FakeTelegram, failures: int, capture: Any) -> Alert:
    fake.fail("sendMessage", times=failures, error_code=502, description="Bad Gateway")
    with capture(execute=True):
        alert = raise_alert("significant", "significant:message:7", "Прорыв теплотрассы", "Кипяток на улице")
    assert alert is not None
    return alert


def test_r14_after_ten_quick_tries_an_alert_is_tried_hourly_and_reaches_the_chat_when_telegram_is_back(
    telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    alert = alert_during_outage(telegram, 12, django_capture_on_commit_callbacks)
    start = alert.created_at
    for run in range(1, 10):  # the task every 10 minutes: tries 2–10
        retry_alerts(now=start + timedelta(minutes=10 * run))
    assert tries(telegram) == 10
    retry_alerts(now=start + timedelta(minutes=100))  # past the first hour: try 11
    assert tries(telegram) == 11
    retry_alerts(now=start + timedelta(minutes=110))  # not yet the second hour
    retry_alerts(now=start + timedelta(minutes=115))
    assert tries(telegram) == 11
    retry_alerts(now=start + timedelta(hours=2))  # try 12, the outage's last failure
    assert tries(telegram) == 12
    assert retry_alerts(now=start + timedelta(hours=3)) == 1
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT and alert.telegram_attempts == 13
    assert [p["chat_id"] for p in telegram.published] == [str(CHAT)]
    retry_alerts(now=start + timedelta(hours=4))
    assert tries(telegram) == 13


def test_r14_after_a_day_the_tries_end_the_page_says_so_and_the_office_sends_it_again(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    alert = alert_during_outage(telegram, 34, django_capture_on_commit_callbacks)  # Telegram back after a day
    start = alert.created_at
    moment = start
    while moment < start + timedelta(hours=30):
        moment += timedelta(minutes=10)
        retry_alerts(now=moment)
    assert tries(telegram) == 34  # 10 quick ones, then one an hour for 24 hours
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED

    client = Client()
    client.force_login(personas.curator)
    page = client.get("/notify/alerts/").content.decode()
    assert "автоматические попытки за сутки закончились" in page
    assert "будет отправлено повторно автоматически" not in page
    assert "попыток: 34" in page

    response = client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True)
    assert "доставлено в Telegram" in response.content.decode()
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT
    assert len(telegram.published) == 1
    again = client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True).content.decode()
    assert "уже доставлено" in again and len(telegram.published) == 1


def test_r14_a_resend_that_fails_again_says_why_and_only_the_office_may_resend(
    personas: Personas, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    telegram.kicked.add(CHAT)
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert("significant", "significant:message:8", "Пожар", "Горит склад в Тосно")
    assert alert is not None
    executor = Client()
    executor.force_login(personas.alice)
    assert executor.post(f"/notify/alerts/{alert.pk}/resend/").status_code == 403
    client = Client()
    client.force_login(personas.observer)
    page = client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True).content.decode()
    assert "не доставлено" in page and "Бот исключён из чата" in page


def test_r14_an_alert_given_up_long_ago_is_not_sent_again(
    telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    """An alert whose ten tries failed two days ago (as the earlier version left them, or after a worker stopped
    for days) stays given up: the task never sends a stale alert to the Governor's office; the office may resend
    it by hand."""
    alert = alert_during_outage(telegram, 1, django_capture_on_commit_callbacks)
    Alert.objects.filter(pk=alert.pk).update(telegram_attempts=10)
    assert retry_alerts(now=alert.created_at + timedelta(days=2)) == 0
    assert tries(telegram) == 1
