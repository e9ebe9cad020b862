"""Found by a review (session 23), fixed since. R-14: a significant mark that reaches nobody is told to the curator as an alert on its way.

Scenario: the Governor's office's only observer account was switched off on 01.10.2025 (the employee left; the
successor's account is not made yet); the alert chat's Telegram bot is not configured and no office address is set
(OTKLIK_ALERT_EMAILS). On 02.10.2025 at 10:00 the curator marks a message «В Луге обрушилась кровля школы»
as socially significant from the alerts page.

Now: no channel can carry the alert — no observer gets an in-app notice, no letter is written, Telegram is off —
yet the curator gets a green (success) message «Оповещение отправляется в аппарат Губернатора: …» followed by
«В системе наблюдателей нет. Письмо не отправлялось: адреса для оповещений не указаны. Telegram не настроен.»
(`notify.views._marked_now`: neither delivered nor failed reads as «отправляется»). The curator believes the
office is being told and does not phone it.

Should be: the curator is told, as a problem (not a success), that the alert is recorded but has not reached the
Governor's office, as a failed channel is told («…записано, но в аппарат Губернатора не доставлено»).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from otklik.intake.models import Message
from otklik.notify.models import Alert, Mail, Notice
from tests.conftest import Personas

pytestmark = pytest.mark.django_db(transaction=True)


def test_r14_a_mark_no_channel_can_carry_is_not_told_as_being_sent(
    personas: Personas, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    settings.OTKLIK_ALERT_EMAILS = ""
    for name in (
        "OTKLIK_ALERT_TELEGRAM_TOKEN",
        "OTKLIK_ALERT_TELEGRAM_CHAT_ID",
        "OTKLIK_ALERT_TELEGRAM_BASE_URL",
        "OTKLIK_ALERT_EMAILS",
    ):
        monkeypatch.delenv(name, raising=False)
    personas.observer.is_active = False  # the office's only observer has left
    personas.observer.save()
    message = Message.objects.create(
        network="vk",
        external_id="k-77",
        url="https://vk.com/wall-1_77",
        text="В Луге обрушилась кровля школы",
    )
    curator = Client()
    curator.force_login(personas.curator)
    response = curator.post("/notify/significant/", {"message": str(message.pk)})

    alert = Alert.objects.get()
    assert alert.telegram_state == Alert.Delivery.OFF
    assert not Notice.objects.exists() and not Mail.objects.exists()  # nobody was told

    (said,) = list(get_messages(response.wsgi_request))
    assert "отправляется в аппарат Губернатора" not in str(said), str(said)
    assert "не доставлено" in str(said), str(said)
    assert said.level_tag in ("warning", "error"), f"told as {said.level_tag}: {said}"
