"""R-14: an alert about a message with a long address still leads the Governor's office to the case. A forum's or a
site's address with a Russian title in it is percent-encoded (six characters a letter): 500–1000 characters are
ordinary, and a message keeps up to 1000 (`Message.url`). The alert's links — the message's address and the case
page's, joined by a space (`notify.alerts.mark_significant`) — are kept whole (`Alert.link`, `Notice.link`: text
fields, not cut at 1000 and 500 characters), so the observers' notice shows «Обращение № N» and the message's whole
address, and the alerts page and the letter name the case beside an address of nearly 1000 characters.
Found by a review (session 21)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from otklik.notify.models import Alert, Mail
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

TITLE = "в-гатчине-на-улице-соборной-третью-неделю-нет-горячей-воды-и-никто-из-управляющей-компании-не-отвечает-жителям"
LONG = f"https://forum.gatchina.example/topic/{quote(TITLE)}/?p=15"


def test_the_observers_notice_of_a_marked_case_keeps_its_link_to_the_case(personas: Personas) -> None:
    assert 500 < len(LONG) < 1000
    with transaction.atomic():
        upsert(
            [ParsedMessage(network="other", external_id="forum-15", url=LONG, text_raw="Нет горячей воды")]
        )
    message = Message.objects.get(external_id="forum-15")
    assert message.url == LONG
    case = actions.dispatch_case(personas.curator, [message], [actions.Route(personas.health, 1)])
    curator = Client()
    curator.force_login(personas.curator)
    curator.post(reverse("notify:significant"), {"case": str(case.pk), "note": ""})
    assert Alert.objects.filter(case=case).exists()

    observer = Client()
    observer.force_login(personas.observer)
    page = observer.get(reverse("notify:notices")).content.decode()
    case_page = reverse("cases:detail", args=[case.pk])
    assert f'{case_page}">' in page  # «Обращение № N» on the notice, as the alerts page has it
    assert f'href="{LONG}"' in page  # the message's address whole, not cut at the 500th character


def test_an_address_of_nearly_1000_characters_leaves_the_case_link_on_the_alert_the_page_and_the_letter(
    personas: Personas, settings: Any
) -> None:
    settings.OTKLIK_ALERT_EMAILS = "office@lenobl.example"
    longest = f"https://forum.gatchina.example/topic/{quote(TITLE)}/?p=16-"
    longest += "x" * (999 - len(longest))
    assert len(longest) == 999
    with transaction.atomic():
        upsert(
            [ParsedMessage(network="other", external_id="forum-16", url=longest, text_raw="Нет горячей воды")]
        )
    message = Message.objects.get(external_id="forum-16")
    assert message.url == longest
    case = actions.dispatch_case(personas.curator, [message], [actions.Route(personas.health, 1)])
    curator = Client()
    curator.force_login(personas.curator)
    curator.post(reverse("notify:significant"), {"case": str(case.pk), "note": ""})
    alert = Alert.objects.get(case=case)
    case_page = reverse("cases:detail", args=[case.pk])
    assert [(named.label, named.ours) for named in alert.named_links] == [
        ("Сообщение в сети", False),
        (f"Обращение № {case.pk}", True),
    ]
    assert alert.named_links[0].url == longest and alert.named_links[1].url.endswith(case_page)

    observer = Client()
    observer.force_login(personas.observer)
    page = observer.get(reverse("notify:alerts")).content.decode()
    assert f'{case_page}">' in page and f"Обращение № {case.pk}<" in page
    assert f'href="{longest}"' in page
    letter = Mail.objects.get(alert=alert)
    assert f"Обращение № {case.pk}: " in letter.text and f"Сообщение в сети: {longest}" in letter.text
