"""R-6 with R-8.9 (the last body's executor composes): after 090e510 `_composes_for` (actions.py:646-654) lets the
body's head hand over a composing body's work only while the COMPOSE deadline is open. Once the composer has sent a
common draft (COMPOSE met) — an interim answer out and the final answer owed (R-8.8), or the common answer returned
for revision (R-8.6) — the composer still composes, but the head can no longer give the work to another executor.
Before 090e510 both were allowed. Monday 28.04.2025, default schedule.
Found by a review (session 17) and fixed; the text above tells what was wrong before the fix."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline
from tests.cases.helpers import COMMON_ANSWER, COMMON_INTERIM, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def _alice_composes(p: Personas) -> Case:
    # roads first, health last: Алексеева of health composes the common answer
    case = dispatch(p.curator, p.roads, p.health, at=MON, multi_mode=Case.MultiMode.COMMON_BY_LAST)
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    assert case.composer == p.alice
    return case


def _hand_over(p: Personas, case: Case) -> str:
    health = case.assignments.get(body=p.health)
    offered = actions.can_hand_over(case, health)
    try:
        actions.hand_to_executor(p.health_head, health, p.bob, now=msk(2025, 4, 28, 15, 0))
    except ActionRefused as exc:
        return f"offered on the page: {offered}; refused: «{exc.message}»"
    case.refresh_from_db()
    return "" if case.composer == p.bob else f"composer is {case.composer}"


def test_head_can_hand_over_the_final_common_answer_after_the_interim_one(personas: Personas) -> None:
    p = personas
    case = _alice_composes(p)
    interim = actions.submit_draft(p.alice, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 13, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 13, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 13, 20)
    )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.responsible == p.alice
    problem = _hand_over(p, case)
    assert not problem, (
        f"health's head cannot give Алексеева's final common answer (R-8.8) to Борисов: {problem}"
    )
    final.refresh_from_db()
    assert final.responsible == p.bob


def test_head_can_hand_over_a_returned_common_answer(personas: Personas) -> None:
    p = personas
    case = _alice_composes(p)
    draft = actions.submit_draft(p.alice, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 13, 0))
    actions.return_draft(p.curator, draft, "Добавьте адрес поликлиники.", now=msk(2025, 4, 28, 13, 10))
    problem = _hand_over(p, case)
    assert not problem, f"health's head cannot give Алексеева's returned common answer to Борисов: {problem}"


def test_head_can_hand_over_the_common_answer_of_a_substitute_who_composes(personas: Personas) -> None:
    """R-6 with R-8.9: Алексеева goes on leave at 11:30 with Борисов as her substitute, and Борисов sends health's
    part, the last one, at 12:00: he composes the common answer though the assignment still names Алексеева. The
    head can give that work to Чернов — before, `_composes_for` asked for the assignment's executor to be the
    composer, so the page offered nothing and `hand_to_executor` refused."""
    from otklik.org.models import Absence

    p = personas
    case = dispatch(p.curator, p.roads, p.health, at=MON, multi_mode=Case.MultiMode.COMMON_BY_LAST)
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    Absence.objects.create(
        person=p.alice,
        reason="vacation",
        substitute=p.bob,
        starts_at=msk(2025, 4, 28, 11, 30),
        ends_at=msk(2025, 5, 12, 9, 0),
    )
    actions.submit_draft(p.bob, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    health = case.assignments.get(body=p.health)
    assert case.composer == p.bob and health.executor == p.alice
    assert actions.can_hand_over(case, health)
    actions.hand_to_executor(p.health_head, health, p.charlie, now=msk(2025, 4, 28, 15, 0))
    case.refresh_from_db()
    assert case.composer == p.charlie
    compose = Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE)
    assert compose.responsible == p.charlie and compose.is_open
