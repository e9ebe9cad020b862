"""R-14: a sender that stopped between its claim («отправляется») and its outcome on the last automatic attempt
(the 34th, or the first run after the alert's day) left the alert «отправляется» for good: the periodic resend
never took it again, no «given up» error was logged and the alerts page showed no problem. Now the periodic resend
records such a lost claim as a failure: the page tells why and offers the resend button."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from otklik.notify.alerts import SENDING_STALE, raise_alert, retry_alerts
from otklik.notify.models import MAX_ATTEMPTS, SLOW_ATTEMPTS, Alert
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

CHAT = -1002003004005
INTERRUPTED = "попытка отправки прервана (процесс остановился)"


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": str(CHAT)}
        yield fake


def stopped_sender(key: str, attempts: int, claimed_at_hours: float) -> Alert:
    """An alert whose sender claimed attempt `attempts` `claimed_at_hours` after the alert and then stopped."""
    alert = raise_alert("significant", key, "Прорыв теплотрассы", "Кипяток на улице Ленина")
    assert alert is not None
    Alert.objects.filter(pk=alert.pk).update(
        telegram_state=Alert.Delivery.SENDING,
        telegram_attempts=attempts,
        telegram_claimed_at=alert.created_at + timedelta(hours=claimed_at_hours),
        telegram_error="502: Bad Gateway",
    )
    alert.refresh_from_db()
    return alert


def after_stale(alert: Alert) -> datetime:
    assert alert.telegram_claimed_at is not None
    return alert.telegram_claimed_at + SENDING_STALE + timedelta(minutes=1)


def alerts_page(personas: Personas) -> str:
    client = Client()
    client.force_login(personas.observer)
    return client.get("/notify/alerts/").content.decode()


@pytest.mark.parametrize(
    ("attempts", "claimed_at_hours"),
    [(MAX_ATTEMPTS, SLOW_ATTEMPTS), (12, SLOW_ATTEMPTS + 0.95)],
    ids=["the-last-attempt", "the-day-over"],
)
def test_r14_a_lost_claim_on_the_last_attempt_is_shown_as_failed_with_the_resend_button(
    personas: Personas,
    telegram: FakeTelegram,
    caplog: pytest.LogCaptureFixture,
    attempts: int,
    claimed_at_hours: float,
) -> None:
    """R-14: the periodic run after `SENDING_STALE` records the lost attempt as a failure with a Russian reason
    and logs that the delivery is given up; the office resends the alert with the button and it reaches the
    chat."""
    alert = stopped_sender("significant:message:61", attempts, claimed_at_hours)
    stale = after_stale(alert)
    with caplog.at_level(logging.ERROR, logger="otklik.notify.alerts"):
        assert retry_alerts(now=stale) == 0
    assert telegram.published == []  # no automatic attempt is left
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED
    assert alert.telegram_error == INTERRUPTED
    assert alert.telegram_attempts == attempts  # the lost attempt counts
    assert any(
        r.levelno == logging.ERROR and f"alert {alert.pk}" in r.getMessage() and "given up" in r.getMessage()
        for r in caplog.records
    )

    page = alerts_page(personas)
    assert "Попытка отправки прервана: процесс остановился" in page
    assert "Автоматических попыток больше не будет" in page
    assert "Отправить в Telegram снова" in page

    client = Client()
    client.force_login(personas.observer)
    assert (
        "доставлено в Telegram"
        in client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True).content.decode()
    )
    assert [p["chat_id"] for p in telegram.published] == [str(CHAT)]

    # A later run changes nothing and does not log the failure again.
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="otklik.notify.alerts"):
        assert retry_alerts(now=stale + timedelta(hours=1)) == 0
    assert not caplog.records


def test_r14_a_claim_still_fresh_or_with_attempts_left_is_not_marked_failed(
    personas: Personas, telegram: FakeTelegram
) -> None:
    """R-14: a claim on the last attempt younger than `SENDING_STALE` may still be in hand; a lost claim with
    attempts left is sent again by the periodic resend, not marked failed."""
    last = stopped_sender("significant:message:62", MAX_ATTEMPTS, SLOW_ATTEMPTS)
    assert last.telegram_claimed_at is not None
    retry_alerts(now=last.telegram_claimed_at + timedelta(minutes=1))
    last.refresh_from_db()
    assert last.telegram_state == Alert.Delivery.SENDING

    early = stopped_sender("significant:message:63", 2, 0.2)
    assert retry_alerts(now=after_stale(early)) == 1
    early.refresh_from_db()
    assert early.telegram_state == Alert.Delivery.SENT and early.telegram_attempts == 3
    assert INTERRUPTED not in alerts_page(personas)
