"""R-14: the office's «Отправить в Telegram снова» and the periodic resend never both send one alert, a lost
claim does not hold the alert, and an alert raised while Telegram was not configured can be sent once it is.

Before: the attempt's claim only counted the attempt (the state stayed «failed»), so a resend clicked while the
periodic resend waited on Telegram claimed the next attempt and the chat got two copies; and an alert whose
delivery was recorded as «канал не настроен» could never be resent (the claim took only pending/failed)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from otklik.notify.alerts import SENDING_STALE, raise_alert, retry_alerts, send_telegram
from otklik.notify.models import Alert
from tests.conftest import Personas
from tests.fakes.base import Request, Response
from tests.fakes.telegram import FakeTelegram

CHAT = -1002003004005


class HeldTelegram(FakeTelegram):
    """Telegram that keeps the first sendMessage after `hold()` waiting until `release()` (a slow answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.released = threading.Event()
        self.holding = False

    def hold(self) -> None:
        self.holding = True

    def release(self) -> None:
        self.released.set()

    def handle(self, request: Request) -> Response:
        if request.path.endswith("/sendMessage") and self.holding:
            self.holding = False
            self.entered.set()
            self.released.wait(timeout=60)
        return super().handle(request)


@pytest.fixture
def telegram(settings: Any) -> Iterator[HeldTelegram]:
    with HeldTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": str(CHAT)}
        yield fake
        fake.release()


def failed_alert(fake: FakeTelegram, key: str) -> Alert:
    fake.fail("sendMessage", times=1, error_code=502, description="Bad Gateway")
    alert = raise_alert("significant", key, "Прорыв теплотрассы", "Кипяток на улице Ленина")
    assert alert is not None
    if not connections[
        "default"
    ].get_autocommit():  # inside the test's transaction: the send after the commit
        send_telegram(alert.pk)
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED
    return alert


@pytest.mark.django_db(transaction=True)
def test_r14_a_resend_clicked_while_the_periodic_resend_waits_on_telegram_sends_no_second_copy(
    personas: Personas, telegram: HeldTelegram
) -> None:
    """R-14: the periodic resend has the alert in hand (Telegram slow to answer); the office clicks
    «Отправить в Telegram снова»: the page says it is being sent, and the chat gets one copy."""
    alert = failed_alert(telegram, "significant:message:41")
    telegram.hold()
    outcome: list[int] = []

    def periodic() -> None:
        try:
            outcome.append(retry_alerts(now=alert.created_at + timedelta(minutes=10)))
        finally:
            connections.close_all()

    worker = threading.Thread(target=periodic)
    worker.start()
    try:
        assert telegram.entered.wait(timeout=60)  # the periodic resend is waiting on Telegram now
        client = Client()
        client.force_login(personas.observer)
        page = client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True).content.decode()
        assert "уже отправляется в Telegram" in page
        assert "второй раз оно не отправлено" in page
    finally:
        telegram.release()
        worker.join(timeout=60)
    assert outcome == [1]
    assert [p["chat_id"] for p in telegram.published] == [str(CHAT)]
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT


@pytest.mark.django_db(transaction=True)
def test_r14_the_periodic_resend_leaves_an_alert_the_office_is_resending(
    personas: Personas, telegram: HeldTelegram
) -> None:
    """R-14: the other way round: the office's resend waits on Telegram, the periodic run at that moment sends
    nothing."""
    alert = failed_alert(telegram, "significant:message:42")
    telegram.hold()
    pages: list[str] = []

    def office() -> None:
        try:
            client = Client()
            client.force_login(personas.observer)
            pages.append(client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True).content.decode())
        finally:
            connections.close_all()

    clicker = threading.Thread(target=office)
    clicker.start()
    try:
        assert telegram.entered.wait(timeout=60)
        assert retry_alerts(now=alert.created_at + timedelta(minutes=1)) == 0  # the run a minute later
    finally:
        telegram.release()
        clicker.join(timeout=60)
    assert len(pages) == 1 and "доставлено в Telegram" in pages[0]
    assert len(telegram.published) == 1


@pytest.mark.django_db
def test_r14_a_claim_lost_with_its_process_does_not_hold_the_alert(
    personas: Personas, telegram: HeldTelegram
) -> None:
    """R-14: a sender that stopped between its claim and Telegram's answer (the worker killed) leaves the alert
    «отправляется»; after `SENDING_STALE` the periodic resend sends it, and the office may resend it by hand."""
    alert = failed_alert(telegram, "significant:message:43")
    start = alert.created_at
    # what the stopped sender left: its claim, made at the periodic run 10 minutes after the alert
    Alert.objects.filter(pk=alert.pk).update(
        telegram_state=Alert.Delivery.SENDING,
        telegram_attempts=2,
        telegram_claimed_at=start + timedelta(minutes=10),
    )
    assert retry_alerts(now=start + timedelta(minutes=12)) == 0  # still fresh: maybe it is being sent
    assert telegram.published == []
    client = Client()
    client.force_login(personas.observer)
    page = client.get("/notify/alerts/").content.decode()
    assert "отправляется" in page
    assert "Отправить в Telegram снова" not in page
    assert retry_alerts(now=start + timedelta(minutes=10) + SENDING_STALE + timedelta(minutes=1)) == 1
    assert len(telegram.published) == 1
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT and alert.telegram_attempts == 3

    lost = failed_alert(telegram, "significant:message:44")
    Alert.objects.filter(pk=lost.pk).update(
        telegram_state=Alert.Delivery.SENDING,
        telegram_attempts=2,
        telegram_claimed_at=lost.created_at - SENDING_STALE - timedelta(minutes=1),
    )
    assert "Отправить в Telegram снова" in client.get("/notify/alerts/").content.decode()
    page = client.post(f"/notify/alerts/{lost.pk}/resend/", follow=True).content.decode()
    assert "доставлено в Telegram" in page
    assert len(telegram.published) == 2


@pytest.mark.django_db
def test_r14_an_alert_raised_while_telegram_was_not_configured_is_resent_once_it_is(
    personas: Personas,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """R-14: Telegram not configured when the alert was raised (delivery «канал не настроен»); the administrator
    configures the bot; the office sends the alert with the button, and it reaches the chat."""
    for name in (
        "OTKLIK_ALERT_TELEGRAM_TOKEN",
        "OTKLIK_ALERT_TELEGRAM_CHAT_ID",
        "OTKLIK_ALERT_TELEGRAM_BASE_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    settings.OTKLIK_ALERT_TELEGRAM = None
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert("significant", "significant:message:45", "Обрушение моста", "Мост в Луге")
    assert alert is not None
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.OFF
    client = Client()
    client.force_login(personas.observer)
    assert ">Отправить в Telegram<" not in client.get("/notify/alerts/").content.decode()

    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": str(CHAT)}
        assert retry_alerts(now=alert.created_at + timedelta(minutes=10)) == 0  # not sent on its own
        shown = client.get("/notify/alerts/").content.decode()
        assert "не отправлялось: Telegram не был настроен" in shown and ">Отправить в Telegram<" in shown
        page = client.post(f"/notify/alerts/{alert.pk}/resend/", follow=True).content.decode()
        assert "доставлено в Telegram" in page
        assert "не настроен" not in page
        assert [p["chat_id"] for p in fake.published] == [str(CHAT)]
        assert "Мост в Луге" in fake.published[0]["text"]
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT
