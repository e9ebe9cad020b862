"""R-14: a Telegram setting read from an environment file saved with Windows line ends
(`OTKLIK_ALERT_TELEGRAM_TOKEN=…\r`) now works: the setting's surrounding whitespace is dropped where it is read, and
the alert reaches the Governor's office chat. A setting that stays wrong (a control character inside the token:
httpx refuses the URL with `httpx.InvalidURL`, which is not an `httpx.HTTPError`) no longer breaks anything: the
curator's «Отметить как общественно значимое» goes back to the page (no 500), the alert is «ошибка отправки» with
a Russian reason naming the settings to fix, and the resend task keeps resending the kept e-mails (its alert and
mail resends are independent).

Found by a review (session 18)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from otklik.intake.models import Message
from otklik.notify.alerts import retry_alerts
from otklik.notify.models import Alert, Mail
from otklik.notify.services import queue_mail, retry_mail
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db


def _telegram(settings: Any, monkeypatch: pytest.MonkeyPatch, fake: FakeTelegram, token: str) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    monkeypatch.setenv("OTKLIK_ALERT_TELEGRAM_BASE_URL", fake.url + "\r")
    monkeypatch.setenv("OTKLIK_ALERT_TELEGRAM_TOKEN", token)
    monkeypatch.setenv("OTKLIK_ALERT_TELEGRAM_CHAT_ID", "-100777\r")


@pytest.fixture
def telegram_crlf(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTelegram]:
    """Every setting a line of a CRLF environment file."""
    with FakeTelegram() as fake:
        _telegram(settings, monkeypatch, fake, fake.token + "\r")
        yield fake


@pytest.fixture
def telegram_bad(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTelegram]:
    """A token with a control character inside it: no stripping mends that, httpx raises `InvalidURL`."""
    with FakeTelegram() as fake:
        _telegram(settings, monkeypatch, fake, fake.token[:3] + "\r" + fake.token[3:])
        yield fake


def _mark(personas: Personas) -> Alert:
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_5501",
        url="https://vk.com/wall-1_5501",
        text="В Кировске прорвало трубу, затоплена школа",
        published_at=msk(2025, 10, 1, 8, 0),
    )
    client = Client(raise_request_exception=False)
    client.force_login(personas.curator)
    response = client.post("/notify/significant/", {"message": str(message.pk)})
    assert response.status_code == 302, f"the curator got {response.status_code} for a recorded alert"
    return Alert.objects.get()


@pytest.mark.django_db(
    transaction=True
)  # the send runs after the commit inside the request, as in production
def test_r14_a_telegram_setting_with_windows_line_ends_still_delivers_the_alert(
    personas: Personas, telegram_crlf: FakeTelegram
) -> None:
    alert = _mark(personas)
    assert alert.telegram_state == Alert.Delivery.SENT, alert.telegram_error
    assert alert.telegram_problem == ""


@pytest.mark.django_db(
    transaction=True
)  # the send runs after the commit inside the request, as in production
def test_r14_a_bad_telegram_setting_does_not_break_the_mark_and_is_shown_in_russian(
    personas: Personas, telegram_bad: FakeTelegram
) -> None:
    alert = _mark(personas)
    assert alert.telegram_state == Alert.Delivery.FAILED and alert.telegram_problem, (
        f"state «{alert.get_telegram_state_display()}», problem shown: «{alert.telegram_problem}»"
    )
    assert alert.telegram_problem.startswith("Настройка Telegram для оповещений неверна"), (
        alert.telegram_problem
    )
    assert "OTKLIK_ALERT_TELEGRAM_TOKEN" in alert.telegram_problem
    assert "InvalidURL" in alert.telegram_error  # the precise error stays beside the reason
    assert not telegram_bad.calls("sendMessage")


def test_r14_a_bad_telegram_setting_does_not_stop_the_kept_letters_being_resent(
    personas: Personas, telegram_bad: FakeTelegram, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Alert.objects.create(
        kind="significant", key="significant:message:1", title="Прорыв трубы", text="Затоплена школа",
        created_at=timezone.now() - timedelta(minutes=30), telegram_state=Alert.Delivery.FAILED,
        telegram_attempts=1,
    )  # fmt: skip
    queue_mail(["observer@example.org"], "Отклик: Ежемесячный отчёт", "Отчёт сформирован")  # not sent yet
    Mail.objects.update(created_at=timezone.now() - timedelta(minutes=30))
    try:
        retry_alerts() + retry_mail()  # what the task `resend_alerts` runs
    except Exception as e:
        pytest.fail(f"the resend task failed ({type(e).__name__}: {e}); the kept letter was not resent")
    assert Mail.objects.get().state == Mail.State.SENT
