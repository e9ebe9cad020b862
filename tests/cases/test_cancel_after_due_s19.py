"""R-12, R-8.4: a term that ran out before the work was taken away stays a violation, recorded at once — whether or
not the sweep (every few minutes) has passed since. Before, a curator handing the case to another body, closing it,
or a body refusing it a minute or two after its term ran out cancelled the term quietly: the violation was lost.
Found by a review of our own code (session 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import actions
from otklik.cases.models import Deadline
from tests.cases.helpers import deadline, dispatch, violations
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r12_a_case_handed_to_another_body_after_the_drafting_term_keeps_the_first_bodys_violation(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    draft_term = deadline(case, Deadline.Stage.DRAFT)
    late = draft_term.due_at + timedelta(minutes=2)  # no sweep ran since the term ran out
    actions.reassign(p.curator, case.assignments.get(), p.roads, now=late)
    assert ("R-8.4", "alice", "Здравоохранение") in violations(case)
    draft_term.refresh_from_db()
    assert draft_term.breached_at is not None and draft_term.cancelled_at == late
    assert draft_term.state_label == "нарушен"


def test_r12_a_case_closed_after_the_drafting_term_keeps_the_violation(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    late = deadline(case, Deadline.Stage.DRAFT).due_at + timedelta(minutes=1)
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=late)
    assert ("R-8.4", "alice", "Здравоохранение") in violations(case)


def test_r12_a_term_cancelled_in_time_is_no_violation(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    at_due = deadline(case, Deadline.Stage.DRAFT).due_at  # at the due moment: still in time
    actions.reassign(p.curator, case.assignments.get(), p.roads, now=at_due)
    assert [v for v in violations(case) if v[0] == "R-8.4"] == []
