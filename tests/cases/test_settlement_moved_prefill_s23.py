"""Found by a review (session 23), fixed since. R-8.1: the place the dispatch form fills in from the machine's suggestion is one the dispatch accepts — the
suggested settlement is ticked together with the municipal formation it lies in now, not the one it lay in when the
message was analysed.

Scenario: on 2025-04-28 at 09:00 the message «Во Всеволожске третий день нет горячей воды» is analysed; its place
suggestion names the settlement «Всеволожск» and, as the directory then had it, the municipal formation «Лужский
муниципальный район» (the settlement had been loaded under the wrong district). At 09:30 the administrator corrects
the directory: «Всеволожск» now lies in «Всеволожский муниципальный район» (both districts stay in force). At 10:00
the curator opens the dispatch form.

Now: the form pre-selects «Лужский муниципальный район» and ticks «Населённый пункт: Всеволожск (Всеволожский
муниципальный район)»; the curator checks the topic and the body and clicks «Направить в работу» without touching the
place — and the dispatch refuses: «Населённый пункт «Всеволожск» относится к «Всеволожский муниципальный район», а
выбрано «Лужский муниципальный район» …». The form contradicted itself.
Should: the form pre-selects the municipal formation the ticked settlement lies in now, and sending the form as
filled in goes through (the case's place is the settlement in its district).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.cases.models import Case
from otklik.org.models import Municipality, Settlement, Topic, TopicGroup
from tests.cases.helpers import message
from tests.cases.test_inbox_suggestions import selected
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r8_1_the_prefilled_place_of_a_settlement_moved_since_the_analysis_is_accepted(
    client: Client, personas: Personas
) -> None:
    group = TopicGroup.objects.create(name="ЖКХ")
    topic = Topic.objects.create(group=group, name="Отсутствие горячей воды")
    luga = Municipality.objects.create(name="Лужский муниципальный район")
    vsevolozhsky = Municipality.objects.create(name="Всеволожский муниципальный район")
    town = Settlement.objects.create(municipality=luga, name="Всеволожск", kind="г.")
    m = message("Во Всеволожске третий день нет горячей воды")
    Suggestion.objects.create(  # the place as the analysis found it at 09:00
        message=m,
        kind=Kind.PLACE,
        value={
            "municipality_id": luga.pk,
            "municipality": luga.name,
            "settlement_id": town.pk,
            "settlement": town.name,
            "source": "text",
        },
        confidence=0.9,
        model_version="rules-1",
    )
    Settlement.objects.filter(pk=town.pk).update(
        municipality=vsevolozhsky
    )  # the directory corrected at 09:30

    client.force_login(personas.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    form = client.get(url).content.decode()
    assert f'name="settlement" value="{town.pk}" checked' in form  # the settlement is ticked
    assert selected(form, "municipality") == [str(vsevolozhsky.pk)], (
        "the form pre-selects the district the settlement no longer lies in"
    )

    # the curator sends the form as filled in, choosing the topic and the body
    sent = client.post(
        url,
        {
            "body_1": personas.roads.pk,
            "topic": topic.pk,
            "municipality": selected(form, "municipality")[0],
            "settlement": town.pk,
            "importance": "normal",
        },
    )
    assert sent.status_code == 302, "the dispatch refused the place its own form filled in"
    case = Case.objects.get()
    assert (case.municipality, case.settlement) == (vsevolozhsky, town)
