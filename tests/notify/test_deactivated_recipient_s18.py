"""R-6: notices about a body's cases go to the people who do the work. A person whose account was switched off
(dismissed: `is_active` unticked on the person's page) is told nothing any more, in the app or by e-mail
(`cases.notify.notify` skips and logs them):

- the head hands the dismissed executor's case to a colleague (`actions.hand_to_executor`): the colleague is told,
  the dismissed previous executor is not;
- the sweep's reminder when nobody of the body is on duty (`sla._on_duty_for`: `on_duty` finds nobody) reaches the
  case's curator, with the reason «… нужно решение куратора», not the switched-off responsible person.

Found by a review (session 18)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail

from otklik.cases import actions, sla
from otklik.cases.models import Notification
from otklik.org.models import Absence
from otklik.org.services import save_absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def _dismiss(p: Personas) -> None:
    p.alice.email = "alekseeva@example.org"
    p.alice.is_active = False
    p.alice.save(update_fields=["email", "is_active"])


def test_r6_a_dismissed_executor_gets_no_letter_when_her_case_is_handed_to_a_colleague(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    assignment = case.assignments.get()
    assert assignment.executor == p.alice
    _dismiss(p)
    with django_capture_on_commit_callbacks(execute=True):
        # to Чернов: Борисов already does her work (the body's first other executor, `on_duty`'s fallback)
        actions.hand_to_executor(p.health_head, assignment, p.charlie, now=MON + timedelta(minutes=30))
    to_her = [m.subject for m in mail.outbox if "alekseeva@example.org" in m.to]
    assert to_her == [], f"the switched-off account's address got {to_her}"
    assert not Notification.objects.filter(recipient=p.alice, created_at__gt=MON).exists()
    assert Notification.objects.filter(recipient=p.charlie, case=case, created_at__gt=MON).exists()


def test_r6_a_reminder_nobody_in_the_body_can_take_reaches_a_curator_not_the_dismissed_executor(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    assert case.assignments.get().executor == p.alice
    _dismiss(p)
    for person in (p.bob, p.charlie, p.health_head):  # the rest of the body away for the week
        save_absence(
            Absence(person=person, starts_at=MON, ends_at=MON + timedelta(days=5), reason="vacation")
        )
    with django_capture_on_commit_callbacks(execute=True):
        sla.sweep(now=msk(2025, 4, 28, 13, 0))  # half of the 5 working hours of
    reminders = list(Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER))
    to_her = [m.subject for m in mail.outbox if "alekseeva@example.org" in m.to]
    assert reminders, "no reminder was written at all"
    assert all(n.recipient.is_active for n in reminders) and to_her == [], (
        f"the reminder went to {[str(n.recipient) for n in reminders]}; letters to the switched-off account: {to_her}"
    )
    to_curator = [n for n in reminders if n.recipient == p.curator]
    assert len(to_curator) == 1, [str(n.recipient) for n in reminders]
    assert "нужно решение куратора" in to_curator[0].text, to_curator[0].text
