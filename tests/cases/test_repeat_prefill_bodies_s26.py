"""Found by a review (session 26), fixed since. R-8.10 (review 74): a repeat is prefilled with the machine's body guess, not with the bodies that handled the
earlier case — even the body that told the curator the question is not its competence."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind
from otklik.cases import actions
from otklik.cases.models import Case
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.cases.helpers import message
from tests.cases.test_inbox_suggestions import selected, suggest
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ROADS_GUESS = {"body_id": 0, "body": "", "topic": "Ямы на дорогах", "confidence": 0.64}


def _guess_roads(p: Personas, m: object) -> None:
    suggest(m, Kind.TOPIC, {"top": [], "topic": "Ямы на дорогах", "group": "Дороги"}, 0.64)
    suggest(m, Kind.BODY, {"bodies": [{**ROADS_GUESS, "body_id": p.roads.pk, "body": p.roads.name}]}, 0.64)


def test_r8_10_a_repeat_is_prefilled_to_the_body_that_refused_the_earlier_case(
    client: Client, personas: Personas
) -> None:
    """R-8.10 («повторное сообщение … повторно направляется в компетентные органы»), R-8.2. The first message about
    the road to the polyclinic in Gatchina went to «Дороги» as the machine guessed; «Дороги» said it is not its
    competence (the road is the polyclinic's grounds) and the curator handed the case to «Здравоохранение», which
    answered. A week later the same complaint comes again; the inbox and the form say «похоже на обращение № N»
    and «Повтор обращения №» is filled in with N — but «Орган 1» is «Дороги» again, the machine's guess, not the body
    that handled case N. One click on «Направить» sends the repeat to the body that already refused this issue
    (a fresh 60-minute window lost, R-8.2), while `dispatch_case(repeat_of=…)` itself would have sent it to the
    earlier case's bodies."""
    p = personas
    group = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=group, name="Ямы на дорогах")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    client.force_login(p.curator)

    first = message("Дорога к поликлинике на Чехова в Гатчине вся в ямах, с коляской не пройти")
    _guess_roads(p, first)
    response = client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {"body_1": p.roads.pk, "order_1": 1, "topic": topic.pk, "municipality": gatchina.pk},
    )
    assert response.status_code == 302
    earlier = Case.objects.get()
    roads = earlier.assignments.get()
    actions.reject_assignment(
        p.dave, roads, "Проезд на территории поликлиники — не дорога общего пользования"
    )
    actions.reassign(p.curator, roads, p.health)

    again = message("Опять ямы на дороге к поликлинике на Чехова в Гатчине, когда засыплют?")
    _guess_roads(p, again)
    suggest(
        again,
        Kind.REPEAT,
        {"candidates": [{"message_id": first.pk, "similarity": 0.82, "same_author": False}]},
    )
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert f'name="repeat_of" inputmode="numeric" placeholder="нет" value="{earlier.pk}"' in form
    assert selected(form, "body_1") == [str(p.health.pk)], (
        "the repeat of case N is prefilled to «Дороги», which refused case N, not to «Здравоохранение» that handled it"
    )
