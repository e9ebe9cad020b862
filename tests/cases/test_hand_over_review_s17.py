"""R-6 with R-8.9: a body's head gives the body's work (and, since ea94029, its common answer) to another executor
(`actions.hand_to_executor`). Found by a review (session 17). Monday 28.04.2025, default schedule."""

from __future__ import annotations

import contextlib
from unittest import mock

import pytest

from otklik.cases import actions
from otklik.cases.models import Case, Deadline
from otklik.org.models import Role
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, make_person, msk

MON = msk(2025, 4, 28, 10, 0)


@pytest.mark.django_db(transaction=True)
def test_a_hand_over_that_fails_half_way_leaves_the_work_with_the_previous_executor(
    personas: Personas,
) -> None:
    """ea94029 moved `@transaction.atomic` from `hand_to_executor` onto the new `can_hand_over` above it
    (actions.py:636-646): the hand-over now runs in autocommit. On PostgreSQL its first `select_for_update` (`_lock`)
    raises TransactionManagementError — every «Передать» is a server error; on SQLite each write commits at once, so
    an error after the first write (here: telling the new executor) leaves the assignment and its deadlines
    Борисов's, with nobody told. Before, the whole hand-over was rolled back."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get(body=p.health)
    assert a.executor == p.alice

    def failing_notify(*args: object, **kwargs: object) -> None:
        raise RuntimeError("mail queue down")

    with mock.patch("otklik.cases.actions.notify", failing_notify), pytest.raises(RuntimeError):
        actions.hand_to_executor(p.health_head, a, p.bob, now=msk(2025, 4, 28, 11, 0))
    a.refresh_from_db()
    draft = Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT)
    assert (a.executor, draft.responsible) == (p.alice, p.alice), (
        f"the failed hand-over was half applied: executor {a.executor}, draft deadline {draft.responsible}"
    )


@pytest.mark.django_db
def test_head_giving_away_a_part_already_sent_does_not_move_another_bodys_common_answer(
    personas: Personas,
) -> None:
    """R-8.9 (the last body's executor composes) with a person who works for two bodies (`work_body_ids`): Павлов is
    an executor of health and of roads and sends both parts; roads' came last, so he composes roads' common answer
    (the COMPOSE deadline is roads'). Health's head then sees a hand-over form for health's work, which is done
    («информация направлена»), and giving it to Борисов makes Борисов of health the composer: `can_hand_over` and
    `hand_to_executor` (actions.py:640, 674) compare only `case.composer` with the assignment's executor, not which
    body's assignment composes — roads' composing deadline stays Павлов's while the case says Борисов composes."""
    p = personas
    pavel = make_person("pavel", p.health, Role.Kind.EXECUTOR, last_name="Павлов")
    Role.objects.create(person=pavel, kind=Role.Kind.EXECUTOR, body=p.roads)
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1, pavel), actions.Route(p.roads, 1, pavel)],
        now=MON,
        multi_mode=Case.MultiMode.COMMON_BY_LAST,
    )
    actions.submit_draft(pavel, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(pavel, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    assert case.composer == pavel
    compose = Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE)
    assert compose.body == p.roads
    health = case.assignments.get(body=p.health)
    assert health.state == "part_submitted"
    offered = actions.can_hand_over(case, health)
    with contextlib.suppress(actions.ActionRefused):  # health's work is done: nothing to hand over — fine
        actions.hand_to_executor(p.health_head, health, p.bob, now=msk(2025, 4, 28, 13, 0))
    case.refresh_from_db()
    assert not offered and case.composer == pavel, (
        f"health's head could hand over health's finished part (offered: {offered}) and the composer of roads' "
        f"common answer is now {case.composer} of health; roads' COMPOSE deadline is still {compose.responsible}'s"
    )
