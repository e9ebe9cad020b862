"""R-6: the head gives the body's work on a case to another executor while the case's executor is away and her
substitute does her work: the substitute, who is the one writing the draft and getting its reminders, must be told
that the work is no longer his — as the curator's «Переназначить» tells him (`actions.reassign` via `_working_on`,
tests/cases/test_reassign_told_s19.py::test_the_substitute_doing_the_replaced_executors_work_is_told).

Scenario (Monday 28.04.2025): the case goes to «Здравоохранение» at 10:00, Алексеева is its executor. From 10:30
she is on sick leave, Борисов her named substitute: the draft's reminders, the case page and his «Мои обращения»
tell him the work is his. At 11:00 the head (Яковлева) hands the case to Чернов.

Now: Чернов gets «Вам передано обращение …» and Алексеева, on sick leave, gets «… передано другому исполнителю:
Чернов … Работа по нему больше не ваша», but Борисов, who was doing the work, is told nothing and goes on
writing a draft that is no longer his (a second answer for the same case).
Should: Борисов is told the work went to Чернов («больше не ваша»), as at the curator's re-assignment.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_substitute_doing_the_work_is_told_when_the_head_hands_it_over(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    a = case.assignments.get()
    assert a.executor == p.alice
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 28, 10, 30),
        ends_at=msk(2025, 4, 28, 10, 30) + timedelta(days=3),
        substitute=p.bob,
    )
    # the work is Борисов's meanwhile: the draft's reminders reach him
    told_now = [
        person for person, _ in sla.told_about(sla.open_deadlines(case, "draft")[0], msk(2025, 4, 28, 10, 45))
    ]
    assert told_now == [p.bob]

    actions.hand_to_executor(p.health_head, a, p.charlie, now=msk(2025, 4, 28, 11, 0))

    a.refresh_from_db()
    assert a.executor == p.charlie
    told_bob = [
        n.text for n in Notification.objects.filter(recipient=p.bob, case=case, kind=Notification.Kind.WORK)
    ]
    assert any("больше не ваша" in t and str(p.charlie) in t for t in told_bob), (
        "Борисов, who did Алексеева's work on the case, is not told the head gave it to Чернов; "
        f"his notices: {told_bob}"
    )
