"""Substitutes (R-6) on the executor's side (checked sound by a review, session 17): the substitute works the
absent executor's case while the absence lasts, and not after it; reminders follow the same clock."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline, Notification
from otklik.org.models import Absence, Role
from tests.cases.helpers import COMMON_ANSWER, dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def test_substitute_composes_during_the_absence_and_not_after(personas: Personas) -> None:
    p = personas
    ella = make_person("ella", p.roads, Role.Kind.EXECUTOR, last_name="Ершова")
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.COMMON_BY_LAST)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 16, 0))
    Absence.objects.create(
        person=p.dave,
        substitute=ella,
        reason="training",
        starts_at=msk(2025, 4, 29, 9, 0),
        ends_at=msk(2025, 4, 29, 18, 0),
    )
    case.refresh_from_db()
    assert actions.may_compose(case, ella, msk(2025, 4, 29, 10, 0))
    assert not actions.may_compose(case, ella, msk(2025, 4, 30, 10, 0))  # the absence ended
    with pytest.raises(ActionRefused):
        actions.submit_draft(ella, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 30, 10, 0))
    sla.sweep(now=msk(2025, 4, 29, 10, 0))  # the composing reminder, during the absence
    compose = Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE)
    told = list(Notification.objects.filter(deadline=compose).values_list("recipient__username", flat=True))
    assert told == ["ella"]
    actions.submit_draft(p.dave, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 30, 10, 0))


def test_draft_of_an_absent_executor_is_sent_by_the_substitute(personas: Personas) -> None:
    p = personas
    Absence.objects.create(
        person=p.alice,
        substitute=p.bob,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 9, 0),
        ends_at=msk(2025, 4, 30, 9, 0),
    )
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    assert (a.intended_executor, a.executor) == (p.alice, p.bob)
    actions.submit_draft(p.bob, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 11, 0))
