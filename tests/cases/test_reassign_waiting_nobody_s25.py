"""Found by a review (session 25), fixed since. R-8.2 with R-8.9: the curator replaces a body whose turn in her order has not come yet (health first, then roads;
she decides roads' question is the housing committee's). The housing committee is fully staffed and its executor is
at work, yet the page tells her «Назначен орган «ЖКХ», но в нём сейчас нет никого на месте, кто мог бы взять
обращение: свяжитесь с органом или назначьте другой» — a false alarm that sends her to call the body or pick
another one. The new assignment waits for its turn (`actions.reassign`: `waits`, no executor resolved yet), and
`cases.views.reassign` reads its empty `executor` as «nobody on duty». Expected: a plain confirmation (the body
receives the message in its turn), no warning about nobody being present.
Place: src/otklik/cases/views.py, `reassign` (`if new.executor is None`)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Assignment
from otklik.org.models import Body, Role
from tests.cases.helpers import message
from tests.conftest import Personas, make_person

pytestmark = pytest.mark.django_db


def test_replacing_a_body_before_its_turn_does_not_say_nobody_is_there(
    client: Client, personas: Personas
) -> None:
    p = personas
    housing = Body.objects.create(name="Комитет по ЖКХ", short_name="ЖКХ")
    make_person("erin", housing, Role.Kind.EXECUTOR, last_name="Ершова")
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.health, 1), actions.Route(p.roads, 2)]
    )
    roads = case.assignments.get(body=p.roads)
    assert roads.state == Assignment.State.WAITING
    case.refresh_from_db()

    client.force_login(p.curator)
    response = client.post(
        reverse("cases:reassign", args=[case.pk, roads.pk]),
        {"body": housing.pk, "version": case.version},
        follow=True,
    )
    text = response.content.decode()

    new = case.assignments.get(body=housing)
    assert (
        new.state == Assignment.State.WAITING
    )  # replaced in the curator's order: its turn comes after health
    assert "нет никого на месте" not in text, (
        "the curator is told nobody of the fully staffed housing committee is there"
    )
    assert "Назначен орган «ЖКХ»: он получит обращение в свою очередь (п. 8.9)." in text
