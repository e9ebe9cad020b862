"""Found by a review (session 27), fixed since. R-6, R-4.2–4.3 (scoping): a reminder reaches someone who can open the case, never a person whose role moved to
another body.

Monday 28.04.2025 10:00 the message goes to «Дороги», Давыдов its executor. At 10:30 the administrator moves his
executor's role to «Здравоохранение» (he no longer works for roads: the roads case does not open for him any more,
`cases.scoping.cases_for`). Roads' responsible official is on leave with no substitute, so nobody of
roads is on duty: the curator is told (right), and so is Давыдов — a reminder and a letter about a case he cannot
open (`sla._on_duty_for` adds the responsible person «while their account is active», meant for an absent one
reading it on return, not for one who moved away; `org.duty.on_duty` says the reminders must reach «someone who can
open the case»)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Notification
from otklik.cases.scoping import cases_for
from otklik.org.models import Absence, Person, Role
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_moved_executor_gets_no_reminder_of_a_case_he_cannot_open(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.dave.email = "dave@example.org"
    p.dave.save()
    case = actions.dispatch_case(
        p.curator, [message()], [Route(p.roads, executor=p.dave)], now=msk(2025, 4, 28, 10, 0)
    )
    Role.objects.filter(person=p.dave, kind=Role.Kind.EXECUTOR).update(body=p.health)
    Person.objects.filter(pk=p.dave.pk).update(body=p.health)
    Absence.objects.create(
        person=p.roads_head,
        reason="vacation",
        starts_at=msk(2025, 4, 28, 10, 15),
        ends_at=msk(2025, 5, 12, 9, 0),
    )
    dave = Person.objects.get(pk=p.dave.pk)
    assert not cases_for(dave).filter(pk=case.pk).exists()  # the case does not open for him any more

    with django_capture_on_commit_callbacks(execute=True):
        sla.sweep(now=msk(2025, 4, 28, 14, 0))
    reminders = Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER)
    assert reminders.filter(recipient=p.curator).exists()  # the curator decides: nobody of roads is on duty
    to_dave = list(reminders.filter(recipient=dave).values_list("text", flat=True))
    letters = [m.body for m in mail.outbox if m.to == ["dave@example.org"]]
    assert not to_dave and not letters, (
        f"Давыдов, no longer of roads, is reminded of roads' case № {case.pk} he cannot open: {to_dave} {letters}"
    )
