"""R-6 with R-8.9: the second body in the curator's order receives the message when the first one's part comes in.
When nobody of that body is on duty then (its executor and its head both away, no substitute), its deadlines have
nobody named: their reminders now go to whoever of the body is present by then, else to the case's curators, who
must decide — before, they reached no one and the curator first heard of it at the breach.
Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Deadline, Notification
from otklik.org.models import Absence
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_curator_hears_before_the_breach_that_nobody_of_the_next_body_can_take_the_case(
    personas: Personas,
) -> None:
    p = personas
    for person in (p.dave, p.roads_head):  # everybody of «Дороги» is on a business trip that week
        Absence.objects.create(
            person=person,
            reason="business_trip",
            starts_at=msk(2025, 4, 28, 0, 0),
            ends_at=msk(2025, 5, 3, 0, 0),
        )
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))  # roads second, by the curator
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    roads = case.assignments.get(body=p.roads)
    assert roads.executor is None  # nobody of the body can take it
    part = deadline(case, Deadline.Stage.PART, open_only=True)
    assert part.body == p.roads and part.due_at == msk(2025, 4, 28, 16, 45)

    # the sweep runs every few minutes through the day, up to the moment before the part is due
    for hour, minute in ((12, 0), (13, 50), (15, 0), (16, 0), (16, 40)):
        sla.sweep(now=msk(2025, 4, 28, hour, minute))

    told = Notification.objects.filter(recipient=p.curator, case=case).exclude(
        text__startswith="На согласовании"
    )
    assert told.exists(), (
        "nobody was told before the breach that «Дороги» has nobody to prepare its part: "
        f"the reminders of the part's deadline went to {list(Notification.objects.filter(case=case, deadline=part))}"
    )


def test_the_reminder_of_a_part_nobody_took_reaches_the_executor_back_at_work(personas: Personas) -> None:
    p = personas
    for person in (p.dave, p.roads_head):  # a morning meeting away from the office, back at 13:00
        Absence.objects.create(
            person=person,
            reason="business_trip",
            starts_at=msk(2025, 4, 28, 0, 0),
            ends_at=msk(2025, 4, 28, 13, 0),
        )
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    assert case.assignments.get(body=p.roads).executor is None
    part = deadline(case, Deadline.Stage.PART, open_only=True)
    for hour, minute in ((12, 0), (13, 50), (15, 0), (16, 0), (16, 40)):
        sla.sweep(now=msk(2025, 4, 28, hour, minute))
    reminded = Notification.objects.filter(case=case, deadline=part, kind=Notification.Kind.REMINDER)
    assert {n.recipient.username for n in reminded} == {"dave"}
    assert all("исполнитель не был назначен" in n.text for n in reminded)
