"""R-14 (clause 14): the e-mail of an alert to the Governor's office carries what the Telegram message carries —
the text, the place, the audience and the links to the message and the case — so the office can act from the
letter alone.

Before: the letter had the text, the place and the audience but no link: the links went only to the in-app notice
and to Telegram, and a reader of the e-mail could not open the message or the case."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.alerts import mark_significant
from otklik.notify.models import Notice
from otklik.org.models import Municipality
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

TEXT = "В Кировске прорвало трубу, затоплена школа №2, дети эвакуированы"


def test_r14_the_alert_letter_has_the_links_to_the_message_and_the_case(
    personas: Personas, settings: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    settings.OTKLIK_ALERT_TELEGRAM = None
    settings.OTKLIK_ALERT_EMAILS = "priemnaya@example.org"
    p.observer.email = "observer@example.org"
    p.observer.save()
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_901",
        url="https://vk.com/wall-1_901",
        author_name="Анна",
        text=TEXT,
        metrics={"views": 12500},
        published_at=msk(2025, 10, 1, 8, 0),
    )
    kirovsk = Municipality.objects.create(name="Кировский муниципальный район")
    case = actions.dispatch_case(
        p.curator, [message], [Route(p.health)], municipality=kirovsk, now=msk(2025, 10, 1, 9, 0)
    )
    with django_capture_on_commit_callbacks(execute=True):
        mark_significant(p.curator, case=case, base_url="https://otklik.example")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0].body
    assert TEXT in letter
    assert "Кировский муниципальный район" in letter and "просмотров: 12500" in letter
    assert "https://vk.com/wall-1_901" in letter
    assert f"https://otklik.example/cases/{case.pk}/" in letter

    # the in-app notice still links the title and shows each link once
    notice = Notice.objects.get(recipient=p.observer)
    assert "https://vk.com/wall-1_901" not in notice.text
    client.force_login(p.observer)
    page = client.get("/notify/").content.decode()
    assert page.count('href="https://vk.com/wall-1_901"') == 1
