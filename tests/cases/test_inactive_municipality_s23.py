"""Found by a review (session 23), fixed since. R-8.1 (the curator sets the place: «муниципальное образование»): a municipal formation taken out of the
directory is neither offered on the dispatch form nor accepted by it — as a topic or a group of topics taken out
of the directory is not (`tests/cases/test_dispatch_topics_s12.py`).

Scenario (2025-04-28 10:00): after the oblast's municipal reform the administrator takes «Гатчинский муниципальный
район» out of the directory (`Municipality.is_active=False`, «действует» unticked) and adds «Гатчинский
муниципальный округ». The machine no longer finds the old district in texts (`analysis.place.gazetteer` reads only
active ones). A message «Яма на Соборной в Гатчине» analysed the day before still carries a place suggestion with the
old district.

Now: the dispatch form lists the abolished district among the places, pre-selects it from the stale suggestion, and
the dispatch saves the case with it — the case page and the reports count a case under a municipal formation that no
longer exists.
Should: the abolished district is not among the form's places, is not pre-selected, and a form posted with it
(opened before the change) is refused with a Russian message, nothing saved.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.cases.models import Case
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1]))


def test_r8_1_a_municipal_formation_out_of_the_directory_is_neither_offered_nor_accepted(
    client: Client, personas: Personas
) -> None:
    roads = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=roads, name="Ямы на дорогах")
    old = Municipality.objects.create(name="Гатчинский муниципальный район", is_active=False)
    new = Municipality.objects.create(name="Гатчинский муниципальный округ")
    m = message("Яма на Соборной в Гатчине")
    Suggestion.objects.create(  # stored by the analysis before the district was taken out of the directory
        message=m,
        kind=Kind.PLACE,
        value={"municipality_id": old.pk, "municipality": old.name, "settlement": None},
        confidence=0.9,
        model_version="rules-1",
    )
    client.force_login(personas.curator)
    url = reverse("cases:dispatch", args=[m.pk])

    form = client.get(url).content.decode()
    places = _options(form, "municipality")
    assert str(new.pk) in places
    assert str(old.pk) not in places, "the abolished district is offered on the dispatch form"

    sent = client.post(url, {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": old.pk})
    assert sent.status_code == 400, (
        "the dispatch saved a case under a municipal formation out of the directory"
    )
    assert not Case.objects.filter(municipality=old).exists()
