"""The alerts page in a browser (R-14): an alert raised before Telegram was configured, one whose last attempt was
interrupted with its process and one being sent right now, as the Governor's office reads them; the first two are
resent with the button into the loopback fake Telegram, the third is left to its sender."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from otklik.notify.alerts import raise_alert
from otklik.notify.models import INTERRUPTED, MAX_ATTEMPTS, Alert
from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.fakes.telegram import FakeTelegram

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHAT = "-1002003004005"


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


def alert(key: str, title: str, **state: Any) -> Alert:
    raised = raise_alert("significant", key, title, f"{title}: жители пишут о беде")
    assert raised is not None
    Alert.objects.filter(pk=raised.pk).update(**state)
    return raised


def test_office_resends_alerts_raised_without_telegram_or_interrupted_and_leaves_one_being_sent(
    page: Page, live_server: Any, personas: Personas, settings: Any, telegram: FakeTelegram
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = {}  # Telegram not configured yet: the first alert stays «канал не настроен»
    alert("significant:message:1", "Прорыв теплотрассы в Гатчине")
    alert(
        "significant:message:2",
        "Нет воды в Кировске",
        telegram_state=Alert.Delivery.FAILED,
        telegram_error=INTERRUPTED,
        telegram_attempts=MAX_ATTEMPTS,
    )
    alert(
        "significant:message:3",
        "Пожар на складе в Тосно",
        telegram_state=Alert.Delivery.SENDING,
        telegram_attempts=1,
        telegram_claimed_at=timezone.now(),
    )
    assert Alert.objects.get(title__startswith="Прорыв").telegram_state == Alert.Delivery.OFF
    settings.OTKLIK_ALERT_TELEGRAM = {"base_url": telegram.url, "token": telegram.token, "chat_id": CHAT}

    login(page, live_server.url, "observer")
    page.get_by_role("link", name="Срочные оповещения", exact=True).click()
    rows = page.get_by_role("row")
    raised_off = rows.filter(has_text="Прорыв теплотрассы")
    interrupted = rows.filter(has_text="Нет воды в Кировске")
    sending = rows.filter(has_text="Пожар на складе")
    expect(raised_off).to_contain_text("не отправлялось: Telegram не был настроен")
    expect(interrupted).to_contain_text("Попытка отправки прервана: процесс остановился")
    expect(interrupted).to_contain_text("Автоматических попыток больше не будет")
    expect(sending).to_contain_text("отправляется")
    expect(sending.get_by_role("button", name="Отправить в Telegram снова")).to_have_count(0)

    raised_off.get_by_role("button", name="Отправить в Telegram", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text(
        "Оповещение «Прорыв теплотрассы в Гатчине» доставлено в Telegram."
    )
    expect(rows.filter(has_text="Прорыв теплотрассы")).to_contain_text("отправлено")
    interrupted.get_by_role("button", name="Отправить в Telegram снова").click()
    expect(page.locator("ul.messages")).to_contain_text(
        "Оповещение «Нет воды в Кировске» доставлено в Telegram."
    )
    expect(interrupted).not_to_contain_text("Попытка отправки прервана")
    expect(page.get_by_role("button", name="Отправить в Telegram снова")).to_have_count(0)

    sent = [m["text"] for m in telegram.published]
    assert len(sent) == 2 and "Прорыв теплотрассы" in sent[0] and "Нет воды в Кировске" in sent[1]
    assert {m["chat_id"] for m in telegram.published} == {CHAT}
    assert Alert.objects.get(title__startswith="Пожар").telegram_state == Alert.Delivery.SENDING
