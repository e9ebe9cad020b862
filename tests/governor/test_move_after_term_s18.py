"""A question under the Governor's post that changes bodies (take or hand-over) after its 2 working hours ran out
(R-7.1, R-7.2, R-12): the old body's late term is its violation, recorded at the hand-over if the sweep has not yet
done it, and the body that takes the question gets its own 2 working hours from taking it, in working time — it is
not late the moment it takes it, as a body joining late is not (docs/decisions/0001-foundation.md, «A body joining
a Governor's-post question late»). While the term still runs, the taking body keeps the question's due time. The
clock is the one of tests/governor/test_join_flow.py: the post comes out Friday 01.11.2024 17:30, the first window
ends on the working Saturday 02.11.2024 at 11:00. Found by a review (session 18)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from otklik.cases import sla
from otklik.governor import actions
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401  (the personas with competences)
from tests.governor.test_join_flow import open_deadline_of, roads_question

pytestmark = pytest.mark.django_db


def test_a_body_that_takes_a_question_after_its_term_ran_out_is_not_late_the_moment_it_takes_it(
    p: Personas,  # noqa: F811
) -> None:
    """Roads let the question's 2 working hours run out (Saturday 11:00: its violation). On Wednesday 06.11.2024
    10:00 (Monday 4 November was a holiday) health sees the question is its own and takes it: health's answer is
    due two working hours later, 12:00, and the sweep records nothing against Алексеева."""
    case, _ = roads_question(p)
    taken_at = msk(2024, 11, 6, 10, 0)
    assert sla.sweep(now=taken_at).breached == 1
    assert violations(case) == [("R-7.2", "dave", "Дороги")]

    actions.take_question(case, p.alice, p.health, reason="вопрос о поликлинике", now=taken_at)
    health = open_deadline_of(case, p.health)
    assert (health.started_at, health.due_at) == (taken_at, msk(2024, 11, 6, 12, 0)), (
        f"health's deadline is due {timezone.localtime(health.due_at):%d.%m.%Y %H:%M}"
    )
    sla.sweep(now=msk(2024, 11, 6, 10, 1))
    assert violations(case) == [("R-7.2", "dave", "Дороги")]


def test_a_hand_over_after_the_term_records_the_old_bodys_violation_before_the_sweep(
    p: Personas,  # noqa: F811
) -> None:
    """No sweep has run since roads' term ended on Saturday 11:00. Давыдов hands the question over to health on
    Saturday 11:30: roads' late term is recorded as its violation at once (not cancelled without one), and
    health's own 2 working hours run from 11:30 (until 14:15, past the lunch break)."""
    case, _ = roads_question(p)
    moved_at = msk(2024, 11, 2, 11, 30)
    actions.hand_over(case, p.dave, p.health, reason="вопрос о поликлинике", now=moved_at)

    assert violations(case) == [("R-7.2", "dave", "Дороги")]
    health = open_deadline_of(case, p.health)
    assert (health.started_at, health.due_at) == (moved_at, msk(2024, 11, 2, 14, 15))  # lunch 13:00–13:45
    sla.sweep(now=msk(2024, 11, 2, 14, 0))
    assert violations(case) == [("R-7.2", "dave", "Дороги")]


def test_a_body_that_takes_a_question_in_time_keeps_its_due_time(p: Personas) -> None:  # noqa: F811
    """Health takes the question on Saturday 10:00, while its term (until 11:00) still runs: health's answer is
    due at 11:00, as the question's was (the regulation's clock does not restart), and roads has no violation."""
    case, _ = roads_question(p)
    actions.take_question(case, p.alice, p.health, reason="вопрос о поликлинике", now=msk(2024, 11, 2, 10, 0))

    health = open_deadline_of(case, p.health)
    assert health.due_at == msk(2024, 11, 2, 11, 0)
    assert violations(case) == []
