"""R-6, R-12: a case that came when nobody of the body was at work is the executor's who takes it up.

The whole health committee is at a training until 10:00; the curator sends a message there at 09:30, nobody is
named. At 10:30 Борисов takes the case up and sends the draft: from then on the case's terms name him. The curator
approves it at 10:45, Борисов is told to publish it by hand within 30 minutes (the reminders come to him), and when
nobody publishes it the violation is his — not Алексеева's, the first of the committee in the alphabet, who never
opened the case. Found by a review (session 20b).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Assignment, Case, Deadline, Notification, Violation
from otklik.org.models import Absence
from otklik.org.services import save_absence
from tests.cases.helpers import current_draft, deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _sent_while_all_away(p: Personas) -> Case:
    """The health committee at a training until 10:00, the message sent there at 09:30: nobody named."""
    for person in (p.alice, p.bob, p.charlie, p.health_head):
        save_absence(
            Absence(
                person=person,
                reason=Absence.Reason.TRAINING,
                starts_at=msk(2025, 4, 28, 9, 0),
                ends_at=msk(2025, 4, 28, 10, 0),
            )
        )
    return dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 30))


def test_r12_the_publication_missed_is_charged_to_the_executor_who_took_the_case_up(
    personas: Personas,
) -> None:
    p = personas
    case = _sent_while_all_away(p)
    assert deadline(case, "draft").responsible is None
    actions.submit_draft(
        p.bob, case, "answer", "Здравствуйте! Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 10, 30)
    )
    case.refresh_from_db()
    actions.approve_draft(p.curator, current_draft(case), now=msk(2025, 4, 28, 10, 45))
    publish = deadline(case, "publish")
    sla.sweep(now=publish.due_at + timedelta(minutes=5))
    assert publish.responsible == p.bob
    assert deadline(case, "overall").responsible == p.bob
    violation = Violation.objects.get(deadline=publish)
    told = sorted(
        set(
            Notification.objects.filter(case=case, recipient__in=[p.alice, p.bob]).values_list(
                "recipient__username", flat=True
            )
        )
    )
    assert violation.person == p.bob, (
        f"the missed publication of Борисов's answer is charged to {violation.person} («{violation.note}»); "
        f"of Алексеева and Борисов, told about the case: {told}"
    )
    approval = Notification.objects.filter(case=case, recipient=p.bob, kind=Notification.Kind.WORK)
    assert any("согласован" in text for text in approval.values_list("text", flat=True)), told
    assert told == ["bob"], f"Алексеева never opened the case, yet was told about it: {told}"


def test_r12_a_case_taken_up_before_the_upgrade_is_charged_to_the_author_of_its_draft(
    personas: Personas,
) -> None:
    """A case Борисов took up before this release: his draft sent, but the assignment still names nobody and so
    does the publication's term opened at the approval. The reminders and the violation are his all the same."""
    p = personas
    case = _sent_while_all_away(p)
    actions.submit_draft(
        p.bob, case, "answer", "Здравствуйте! Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 10, 30)
    )
    # what the earlier release left: nobody named on the assignment and its terms
    Assignment.objects.filter(case=case).update(executor=None, intended_executor=None)
    Deadline.objects.filter(case=case, responsible=p.bob).update(responsible=None)
    case.refresh_from_db()
    actions.approve_draft(p.curator, current_draft(case), now=msk(2025, 4, 28, 10, 45))
    publish = deadline(case, "publish")
    assert publish.responsible is None
    sla.sweep(now=msk(2025, 4, 28, 11, 5))  # the reminder at 80% of the 30 minutes
    sla.sweep(now=publish.due_at + timedelta(minutes=5))
    violation = Violation.objects.get(deadline=publish)
    assert violation.person == p.bob, f"charged to {violation.person} («{violation.note}»)"
    assert "обращение взял в работу Борисов" in violation.note
    reminded = Notification.objects.filter(case=case, deadline=publish, kind=Notification.Kind.REMINDER)
    assert sorted(reminded.values_list("recipient__username", flat=True)) == ["bob"]
