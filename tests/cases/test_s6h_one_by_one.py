"""Who answers for the R-8.3 total when the parts of several bodies are published one by one (R-8.3, R-8.9, R-12).

As in a common answer (tests/cases/test_s5c_overall.py), a body's share of the 9 (4) working hours is its part: its
R-8.3 deadline is met when the part comes in (late only if the part itself was late). The parts go to review only
when all are in; from then on the executor of the body whose part is published last (the last in the curator's
order) carries the total — the latest of the bodies' terms, with its start and due time — until that publication.

Monday 03.03.2025 in the default schedule (09:00–18:00, lunch 13:00–13:45). Every due time below was counted by
hand: health receives the message Mon 10:00, its 9 working hours end Tue 04.03 10:45 (Mon 10:00–13:00 and
13:45–18:00 = 7 h 15 min, Tue 09:00–10:45 = 1 h 45 min). Roads (second in the curator's order) receives it when
health's part comes in, Mon 14:00: its 9 hours end Tue 14:45 (Mon 4 h, Tue 09:00–13:00 and 13:45–14:45 = 5 h), its
R-8.9 part (5 h) is due Tue 10:00."""

from __future__ import annotations

from datetime import datetime

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Case, CaseEvent, Deadline, Draft, Violation
from otklik.org.models import Body, Person, Role
from tests.cases.helpers import dispatch, violations
from tests.cases.test_s5c_overall import overall
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

HEALTH = "Здравствуйте, Ирина! Поликлиника откроется 1 июня."
ROADS = "Здравствуйте, Ирина! Подъездную дорогу отремонтируют в мае."


def one_by_one(p: Personas, **kwargs: object) -> Case:
    """Health first, roads second in the curator's order, parts published one by one, Monday 03.03 10:00."""
    return dispatch(
        p.curator,
        p.health,
        p.roads,
        at=msk(2025, 3, 3, 10, 0),
        multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE,
        **kwargs,
    )


def in_review(case: Case) -> Draft:
    return case.drafts.get(state=Draft.State.SUBMITTED)


def publish(person: Person, draft: Draft, at: datetime, reply: int) -> None:
    # the reply ids lie far from the test messages' own (`?reply=1…`), whose link the R-8.7 check refuses
    actions.confirm_publication(person, draft, url=f"https://vk.com/wall-1_1?reply={reply + 800000}", now=at)


def test_a_body_whose_part_was_in_time_is_not_charged_while_the_next_body_works(p: Personas) -> None:
    """R-8.3, R-8.9, R-12 (the auditor's case): health's part Mon 14:00, roads' Tue 09:55 (due 10:00), both in time.
    Only then do the parts go to review: health's approved Tue 10:50 (R-8.5 due 10:55), published 11:10 (R-8.7 due
    11:20) — after health's 10:45, but Алексеева's share was her part, in time. Roads' executor Давыдов carries
    the total (roads' own, Mon 14:00 → Tue 14:45); roads' part published 11:50: no violation at all."""
    case = one_by_one(p)
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 14, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 4, 9, 55))
    # health's share closed at its part; roads' deadline runs on, carried by Давыдов, due as it was
    assert overall(case) == [
        ("Здравоохранение", "alice", msk(2025, 3, 4, 10, 45), msk(2025, 3, 3, 14, 0), False),
        ("Дороги", "dave", msk(2025, 3, 4, 14, 45), None, False),
    ]
    carried = Deadline.objects.get(case=case, stage=Deadline.Stage.OVERALL, met_at__isnull=True)
    assert carried.started_at == msk(2025, 3, 3, 14, 0)
    complete = CaseEvent.objects.get(case=case, action="parts_complete")
    assert f"до 04.03.2025 14:45, отвечает {p.dave} («Дороги»)" in complete.reason
    first = in_review(case)
    assert first.author == p.alice
    sla.sweep(now=msk(2025, 3, 4, 10, 50))  # after health's 10:45
    assert violations(case) == []
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 50))
    publish(p.alice, first, msk(2025, 3, 4, 11, 10), 1)
    second = in_review(case)
    assert second.author == p.dave
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 11, 30))
    publish(p.dave, second, msk(2025, 3, 4, 11, 50), 2)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.publications.count() == 2
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == []
    assert [(b, met) for b, _, _, met, _ in overall(case)] == [
        ("Здравоохранение", msk(2025, 3, 3, 14, 0)),  # its part: its answer was out only after its term
        ("Дороги", msk(2025, 3, 4, 11, 50)),  # the last publication
    ]


def test_a_late_last_part_is_charged_to_its_body_once_and_not_to_the_first_body(p: Personas) -> None:
    """R-8.3, R-8.9, R-12: roads' part comes Tue 15:00, after its R-8.9 part term (Tue 10:00) and its R-8.3 total
    (Tue 14:45). The sweep at 14:50 charges Давыдов with both, Алексеева (her part Mon 14:00) with nothing. The total
    ran out before the parts were all in, so it is not carried: the parts published afterwards (Tue 15:20, 15:40)
    charge nobody again."""
    case = one_by_one(p)
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 14, 0))
    sla.sweep(now=msk(2025, 3, 4, 14, 50))
    assert violations(case) == [("R-8.9", "dave", "Дороги"), ("R-8.3", "dave", "Дороги")]
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 4, 15, 0))
    assert not Deadline.objects.filter(
        case=case, stage=Deadline.Stage.OVERALL, met_at__isnull=True, cancelled_at__isnull=True
    ).exists()
    assert "истёк" in CaseEvent.objects.get(case=case, action="parts_complete").reason
    first = in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 15, 10))
    publish(p.alice, first, msk(2025, 3, 4, 15, 20), 3)
    second = in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 15, 30))
    publish(p.dave, second, msk(2025, 3, 4, 15, 40), 4)
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == [("R-8.9", "dave", "Дороги"), ("R-8.3", "dave", "Дороги")]
    assert not Violation.objects.filter(person=p.alice).exists()


def test_a_late_last_publication_is_charged_once_to_the_last_bodys_executor(p: Personas) -> None:
    """R-8.3, R-8.5, R-8.9, R-12: both parts in time (Mon 14:00, Tue 09:55), health's published Tue 11:10; the
    curator approves roads' part only at 14:30 (R-8.5 due 12:10) and it is published 14:55 (R-8.7 due 15:00, in
    time) — after the total carried by Давыдов (Tue 14:45). The sweep at 14:50 and the publication charge Давыдов
    with R-8.3 once; Алексеева nothing."""
    case = one_by_one(p)
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 14, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 4, 9, 55))
    first = in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 50))
    publish(p.alice, first, msk(2025, 3, 4, 11, 10), 5)
    second = in_review(case)
    sla.sweep(now=msk(2025, 3, 4, 14, 50))
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 30))
    publish(p.dave, second, msk(2025, 3, 4, 14, 55), 6)
    assert violations(case) == [
        ("R-8.5", "curator", "Управление информационной политики"),  # review due Tue 12:10
        ("R-8.3", "dave", "Дороги"),  # the total, due Tue 14:45
    ]
    assert not Violation.objects.filter(person=p.alice).exists()


def test_high_importance_carries_the_last_bodys_four_hours(p: Personas) -> None:
    """R-8.3 (high importance: 4 working hours), R-8.9: health receives Mon 10:00 (due 14:45), its part 11:00; roads
    receives then (due 15:45: 11:00–13:00 and 13:45–15:45). Roads' part 14:00; health's part published 15:00, after
    14:45 but not Алексеева's violation; Давыдов carries roads' 4 hours, met by the last publication at 15:30."""
    case = one_by_one(p, importance=Case.Importance.HIGH)
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 11, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 3, 14, 0))
    carried = Deadline.objects.get(case=case, stage=Deadline.Stage.OVERALL, met_at__isnull=True)
    assert (carried.responsible, carried.started_at, carried.due_at, carried.working_minutes) == (
        p.dave,
        msk(2025, 3, 3, 11, 0),
        msk(2025, 3, 3, 15, 45),
        240,
    )
    first = in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 3, 14, 50))
    publish(p.alice, first, msk(2025, 3, 3, 15, 0), 7)
    second = in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 3, 15, 10))
    publish(p.dave, second, msk(2025, 3, 3, 15, 30), 8)
    sla.sweep(now=msk(2025, 3, 5, 12, 0))
    assert violations(case) == []


def test_the_curator_closing_the_case_leaves_nobody_charged_for_the_carried_total(p: Personas) -> None:
    """R-8.3, R-8.9: both parts in time; the curator closes the case Tue 11:00 before any publication. The total
    carried by Давыдов is withdrawn, and the sweep after every term (Thu) charges nobody."""
    case = one_by_one(p)
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 14, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 4, 9, 55))
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=msk(2025, 3, 4, 10, 30))
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == []


def test_after_a_refusal_and_a_new_body_the_body_published_last_carries_the_latest_total(p: Personas) -> None:
    """R-8.2, R-8.3, R-8.6, R-8.9, R-12: health (first) refuses Mon 10:20, so roads (second) receives the message
    then (R-8.3 due Tue 11:05: Mon 10:20–13:00 and 13:45–18:00 = 6 h 55 min, Tue 09:00–11:05); the curator names
    culture in health's place at 10:30 (due Tue 11:15: Mon 6 h 45 min, Tue 09:00–11:15), first in the order. Roads'
    part Mon 11:00, culture's 16:00. Culture's part is published first (returned 16:30, revised 17:00, approved
    17:20, published 17:40); roads' part, published last, is approved only Tue 10:50 (review due Tue 09:40) and
    published 11:20 (R-8.7 due 11:20, in time). Давыдов, whose part is published last, carries the total: the latest
    of the bodies' terms, culture's Tue 11:15 — the answer is complete when the last named body's term is up, which
    the roads' part published at 11:20 misses. Егорова, whose part was out Monday, answers for nothing; the curator
    answers for the late review (R-8.5) and Давыдов for the total (R-8.3)."""
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case = one_by_one(p)
    health = case.assignments.get(body=p.health)
    actions.reject_assignment(p.alice, health, "Это не поликлиника", now=msk(2025, 3, 3, 10, 20))
    actions.reassign(p.curator, health, culture, now=msk(2025, 3, 3, 10, 30))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 3, 11, 0))
    actions.submit_draft(
        eva, case, "part", "Здравствуйте, Ирина! Концерт перенесён.", now=msk(2025, 3, 3, 16, 0)
    )
    carried = Deadline.objects.get(
        case=case, stage=Deadline.Stage.OVERALL, met_at__isnull=True, cancelled_at=None
    )
    assert (carried.body, carried.responsible, carried.started_at, carried.due_at) == (
        p.roads,
        p.dave,
        msk(2025, 3, 3, 10, 30),
        msk(2025, 3, 4, 11, 15),
    )
    first = in_review(case)
    assert first.author == eva
    actions.return_draft(p.curator, first, "Укажите новую дату концерта", now=msk(2025, 3, 3, 16, 30))
    revised = actions.revise_draft(
        eva, first, "Здравствуйте, Ирина! Концерт перенесён на 10 марта.", now=msk(2025, 3, 3, 17, 0)
    )
    actions.approve_draft(p.curator, revised, now=msk(2025, 3, 3, 17, 20))
    publish(eva, revised, msk(2025, 3, 3, 17, 40), 9)
    assert Deadline.objects.get(pk=carried.pk).is_open  # carried on until the last part is out
    second = in_review(case)
    assert second.author == p.dave
    sla.sweep(now=msk(2025, 3, 4, 11, 10))  # after roads' own 11:05: roads' share was its part
    assert violations(case) == [("R-8.5", "curator", "Управление информационной политики")]
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 10, 50))
    publish(p.dave, second, msk(2025, 3, 4, 11, 20), 10)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == [
        ("R-8.5", "curator", "Управление информационной политики"),  # roads' part, review due Tue 09:40
        ("R-8.3", "dave", "Дороги"),  # the total, culture's term Tue 11:15, carried by the last published
    ]
    assert not Violation.objects.filter(person__in=[p.alice, eva]).exists()


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas
