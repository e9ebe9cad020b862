"""R-6: a person who is an executor of two bodies. While she is away, the work of each body goes to someone of that
body — never a case of one body to an executor of the other, who cannot act on it."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.org.duty import DutyReason, on_duty
from otklik.org.models import Absence, Role
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

AT = msk(2025, 10, 1, 11, 0)


@pytest.fixture
def alice_in_two_bodies(personas: Personas) -> Personas:
    """Alice's own body is health; she is also an executor of roads."""
    Role.objects.create(person=personas.alice, kind=Role.Kind.EXECUTOR, body=personas.roads)
    return personas


def _away(p: Personas, substitute: object = None) -> None:
    Absence.objects.create(
        person=p.alice,
        substitute=substitute,  # type: ignore[misc]
        starts_at=msk(2025, 9, 29, 9, 0),
        ends_at=msk(2025, 10, 10, 18, 0),
        reason=Absence.Reason.VACATION,
    )


def test_r6_roads_work_of_an_absent_two_body_executor_falls_back_to_roads_not_to_health(
    alice_in_two_bodies: Personas,
) -> None:
    p = alice_in_two_bodies
    _away(p)
    roads = on_duty(p.alice, AT, body_id=p.roads.pk)
    assert roads.person == p.dave and roads.reason == DutyReason.FALLBACK_EXECUTOR
    health = on_duty(p.alice, AT)  # her own body, as before
    assert health.person == p.bob and health.reason == DutyReason.FALLBACK_EXECUTOR


def test_r6_a_roads_colleague_named_as_substitute_does_the_roads_work_only(
    alice_in_two_bodies: Personas,
) -> None:
    p = alice_in_two_bodies
    _away(p, substitute=p.dave)
    roads = on_duty(p.alice, AT, body_id=p.roads.pk)
    assert roads.person == p.dave and roads.reason == DutyReason.SUBSTITUTE
    health = on_duty(p.alice, AT, body_id=p.health.pk)
    assert health.person == p.bob  # Dave cannot act on health's cases
    assert "Давыдов Тест не может замещать" in health.explanation


def test_r6_a_colleague_of_her_second_body_may_be_recorded_as_her_substitute(
    alice_in_two_bodies: Personas, client: Client
) -> None:
    p = alice_in_two_bodies
    client.force_login(p.alice)
    response = client.post(
        "/directory/absences/new/",
        {
            "person": p.alice.pk,
            "reason": "vacation",
            "starts_at": "2025-10-13T09:00",
            "ends_at": "2025-10-17T18:00",
            "substitute": p.dave.pk,
            "comment": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Absence.objects.get(person=p.alice).substitute == p.dave


def test_r6_a_roads_case_named_for_her_goes_to_her_roads_substitute_through_dispatch(
    alice_in_two_bodies: Personas,
) -> None:
    """The workflow asks `on_duty` for the body the case went to, not for the person's own body."""
    from otklik.cases import actions
    from tests.cases.helpers import message

    p = alice_in_two_bodies
    _away(p, substitute=p.dave)
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.roads, 1, executor=p.alice)], now=AT
    )
    a = case.assignments.get()
    assert a.intended_executor == p.alice and a.executor == p.dave
    assert "Давыдов" in a.duty_note
