"""Found by a review (session 26), fixed since. R-14: a second mark of an alert that reached nobody is told to the curator as «оповещение было отправлено».

Scenario: the Governor's office's only observer account is switched off, Telegram for alerts is not configured and
no office address is set. The curator marks a message as socially significant: she is told, as a warning, that
the alert is recorded «но в аппарат Губернатора не доставлено» (`views._marked_now`, fixed in session 23). Not sure
anyone saw it, a second curator (or she again, after lunch) marks the same message once more.

Now: the answer to the second mark is an info message «Сообщение № N уже отмечено как общественно значимое …;
оповещение было отправлено.» (`notify.views._already_marked`, the sentence is unconditional), followed by «В системе
наблюдателей нет. Письмо не отправлялось… Telegram не настроен.» — it says the office was told when nobody was,
and not as a problem. The curator reads «было отправлено» and does not phone the office.

Should be: the second mark says the alert was recorded but has not reached the office (as the first did), as a
problem (warning/error), not «оповещение было отправлено».
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


def test_r14_second_mark_of_an_alert_that_reached_nobody_does_not_say_it_was_sent(
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
    personas.observer.is_active = False
    personas.observer.save()
    message = Message.objects.create(
        network="vk",
        external_id="k-78",
        url="https://vk.com/wall-1_78",
        text="В Луге обрушилась кровля школы",
    )
    curator = Client()
    curator.force_login(personas.curator)
    first = curator.post("/notify/significant/", {"message": str(message.pk)})
    (said_first,) = list(get_messages(first.wsgi_request))
    assert "не доставлено" in str(said_first)  # the first mark is told right (session 23)

    second = curator.post("/notify/significant/", {"message": str(message.pk)})
    said = list(get_messages(second.wsgi_request))[-1]  # the first mark's message was never shown
    assert Alert.objects.count() == 1
    assert not Notice.objects.exists() and not Mail.objects.exists()  # nobody was ever told
    assert "оповещение было отправлено" not in str(said), str(said)
    assert said.level_tag in ("warning", "error"), f"told as {said.level_tag}: {said}"
