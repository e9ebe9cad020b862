"""R-6, R-8.1: on an installation's first day most bodies have nobody in them yet. The dispatch form marks such a
body, and a curator who sends a message to one is told at once that nobody can take it, as «Переназначить» says
(found by a first-day walk of a new installation)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import CaseEvent, CaseMessage
from otklik.org.models import Body
from tests.cases.helpers import classified, message
from tests.cases.test_explore_ui import flashes
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r6_r8_1_dispatch_to_a_body_with_nobody_tells_the_curator(client: Client, personas: Personas) -> None:
    transport = Body.objects.create(name="Комитет по транспорту")
    m = message("Автобус до Лукашей ходит два раза в день")
    client.force_login(personas.curator)
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert f'value="{transport.pk}" data-empty>Комитет по транспорту (нет сотрудников)</option>' in form
    assert f'value="{personas.health.pk}">{personas.health.name}</option>' in form  # staffed: as it is

    done = client.post(
        reverse("cases:dispatch", args=[m.pk]), {"body_1": transport.pk, **classified()}, follow=True
    )
    said = flashes(done)
    assert any("направлено" in s for s in said)
    assert any("В органе «Комитет по транспорту» сейчас нет никого на месте" in s for s in said), said
    case = CaseMessage.objects.get(message=m).case
    started = CaseEvent.objects.get(case=case, action="assignment_started")
    assert (
        started.reason
        == "Комитет по транспорту: исполнителя нет: никого нет на месте, нужно решение куратора"
    )


def test_r6_a_later_body_in_the_order_with_nobody_in_it_is_named_too(
    client: Client, personas: Personas
) -> None:
    transport = Body.objects.create(name="Комитет по транспорту")
    m = message("Автобус до Лукашей ходит два раза в день, и дорога к остановке разбита")
    client.force_login(personas.curator)
    done = client.post(
        reverse("cases:dispatch", args=[m.pk]),
        {"body_1": personas.roads.pk, "order_1": 1, "body_2": transport.pk, "order_2": 2, **classified()},
        follow=True,
    )
    said = " ".join(flashes(done))
    assert "«Комитет по транспорту»" in said and "нет никого на месте" in said
    assert "«Комитет по дорожному хозяйству»" not in said


def test_r6_nothing_is_said_when_the_body_has_someone(client: Client, personas: Personas) -> None:
    m = message("Яма на Соборной в Гатчине")
    client.force_login(personas.curator)
    done = client.post(
        reverse("cases:dispatch", args=[m.pk]), {"body_1": personas.roads.pk, **classified()}, follow=True
    )
    assert not any("нет никого на месте" in s for s in flashes(done))


def test_r6_reassign_marks_a_body_with_nobody_in_it(client: Client, personas: Personas) -> None:
    """The warning after dispatch sends the curator to «Переназначить» on the case page: that list marks the empty
    bodies too, so she does not pick another one."""
    transport = Body.objects.create(name="Комитет по транспорту")
    m = message("Автобус до Лукашей ходит два раза в день")
    client.force_login(personas.curator)
    client.post(reverse("cases:dispatch", args=[m.pk]), {"body_1": transport.pk, **classified()})
    case = CaseMessage.objects.get(message=m).case
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (
        f'<option value="{transport.pk}" data-empty>Комитет по транспорту (нет сотрудников)</option>' in page
    )
    assert f'<option value="{personas.roads.pk}">{personas.roads.name}</option>' in page
