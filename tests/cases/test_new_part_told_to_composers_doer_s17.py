"""R-6 with R-8.9 (the last body's executor composes): `_submit_part` (actions.py:1083-1086) tells whoever does the
away composer's work of a new body's part through `doer(composer, now, composer.body)` — the composer's home body —
while `may_compose` (actions.py:958-961) lets only the doer for the COMPOSE deadline's body write the common answer.
Павлов works for health (his own body) and roads, and composes roads' common answer; ill, with Борисов of health
named his substitute. Culture's part comes: Борисов is told to take it into the final answer, which he may not
write; Давыдов of roads, who may, is not told. Monday 28.04.2025.
Found by a review (session 17) and fixed; the text above tells what was wrong before the fix."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Case, Deadline, Notification
from otklik.org.models import Absence, Body, Role
from tests.cases.helpers import COMMON_INTERIM, message
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def test_new_part_is_told_to_who_may_write_the_common_answer_for_the_ill_composer(personas: Personas) -> None:
    p = personas
    pavel = make_person("pavel", p.health, Role.Kind.EXECUTOR, last_name="Павлов")
    Role.objects.create(person=pavel, kind=Role.Kind.EXECUTOR, body=p.roads)
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1, p.alice), actions.Route(p.roads, 1, pavel)],
        now=MON,
        multi_mode=Case.MultiMode.COMMON_BY_LAST,
    )
    actions.reject_assignment(
        p.alice, case.assignments.get(body=p.health), "Не наш вопрос", now=msk(2025, 4, 28, 10, 30)
    )
    actions.submit_draft(pavel, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    case.refresh_from_db()
    assert case.composer == pavel
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE).body == p.roads
    interim = actions.submit_draft(pavel, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 12, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 12, 10))
    actions.confirm_publication(
        pavel, interim, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 12, 20)
    )
    actions.reassign(p.curator, case.assignments.get(body=p.health), culture, now=msk(2025, 4, 28, 14, 0))
    Absence.objects.create(
        person=pavel,
        reason="sick_leave",
        starts_at=msk(2025, 4, 29, 9, 0),
        ends_at=msk(2025, 5, 12, 9, 0),
        substitute=p.bob,
    )
    at = msk(2025, 4, 29, 9, 30)
    actions.submit_draft(eva, case, "part", "Библиотеку откроют в июле.", now=at)
    case.refresh_from_db()
    told = [
        n.recipient
        for n in Notification.objects.filter(case=case, kind=Notification.Kind.WORK, created_at=at)
        if "Поступила информация органа" in n.text
    ]
    may = [x for x in (p.bob, p.dave) if actions.may_compose(case, x, at)]
    assert told == may, f"told of culture's part: {told}; may write the common answer for Павлов: {may}"
