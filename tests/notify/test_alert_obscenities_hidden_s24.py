"""Found by a review (session 23), fixed in session 24. R-14 with R-10: an abusive message marked socially
significant reaches the Governor's office with its obscene words hidden.

Scenario: 02.10.2025 09:00 a resident posts in VK, swearing, that a pipe burst and the school in Kirovsk is flooded;
the moderation excludes the message as abusive (R-10), yet the event is real. At 09:20 the curator marks it
significant from its dispatch page. Before the fix the alert carried the text as written: the obscene words went to
the Governor's office in the in-app notice, the e-mail and the Telegram chat. Now each obscene word is its first
letter and «…», a line says the words are hidden, and the rest — what happened and where — is there as written.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from otklik.intake.models import Message
from otklik.notify.alerts import OBSCENITIES_HIDDEN, telegram_text
from otklik.notify.models import Alert, Notice
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

TEXT = "Опять, бл@ть, трубу прорвало у школы № 2 в Кировске, х*й кто приедет. Первый этаж затоплен!"


def test_r14_the_office_gets_an_abusive_message_without_its_obscene_words(
    personas: Personas, settings: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_5151",
        url="https://vk.com/wall-1_5151",
        author_name="Пётр Иванов",
        text=TEXT,
        published_at=msk(2025, 10, 2, 9, 0),
    )
    curator = Client()
    curator.force_login(personas.curator)
    curator.post(reverse("notify:significant"), {"message": str(message.pk), "note": "Затоплена школа"})

    alert = Alert.objects.get()
    sent = [
        alert.text,
        telegram_text(alert),
        *Notice.objects.filter(kind=Notice.Kind.ALERT).values_list("text", flat=True),
    ]
    sent += [m.body for m in mail.outbox]
    assert len(sent) >= 3
    for text in sent:
        assert "бл@ть" not in text and "х*й" not in text, text
        assert "трубу прорвало у школы № 2 в Кировске" in text and "Первый этаж затоплен!" in text
        assert OBSCENITIES_HIDDEN in text
    assert "Опять, б…, трубу" in alert.text
    assert "Комментарий куратора: Затоплена школа" in alert.text
    # the message itself is kept as written (R-10: nothing is altered or lost)
    message.refresh_from_db()
    assert message.text == TEXT
