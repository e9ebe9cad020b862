"""Who answers for the R-8.3 total when several bodies make one common answer (R-8.3, R-8.9, R-12).

In the common-answer modes a body's share of the 9 (4) working hours is its part: the body's R-8.3 deadline
closes when its part is in. The composer of the common answer (the last executor, or the curator) carries the
R-8.3 deadline from then on, with the same start and due time, until the answer is published.

Monday 28.04.2025 in the default schedule (09:00–18:00, lunch 13:00–13:45). Every due time below was counted
by hand: 9 working hours from Mon 10:00 end Tue 29.04 10:45; 5 working hours from Mon 10:00 end Mon 15:45."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Case, Deadline, Violation
from otklik.org.models import Body, Role
from otklik.reports import monthly, periods
from tests.cases.helpers import dispatch, message, violations
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Поликлиника откроется 1 июня, подъездную дорогу отремонтируют в мае."
APRIL = periods.month(2025, 4)


def both(p: Personas, **kwargs: object) -> Case:
    """Health and roads at once (the same place in the curator's order), Monday 10:00."""
    return actions.dispatch_case(
        p.curator,
        [message()],
        [Route(p.health, 1), Route(p.roads, 1)],
        now=msk(2025, 4, 28, 10, 0),
        **kwargs,  # type: ignore[arg-type]
    )


def overall(case: Case) -> list[tuple[str, str, object, object, bool]]:
    """(body, responsible, due, met, breached) of every R-8.3 deadline of the case, in the order opened."""
    return [
        (
            str(d.body),
            d.responsible.username if d.responsible else "",
            d.due_at,
            d.met_at,
            d.breached_at is not None,
        )
        for d in Deadline.objects.filter(case=case, stage=Deadline.Stage.OVERALL)
        .select_related("body", "responsible")
        .order_by("id")
    ]


def publish(person: object, draft: object, at: object, reply: int) -> None:
    actions.confirm_publication(
        person,  # type: ignore[arg-type]
        draft,  # type: ignore[arg-type]
        url=f"https://vk.com/wall-1_1?reply={reply}",
        now=at,  # type: ignore[arg-type]
    )


def test_a_body_that_sent_its_part_in_time_is_not_charged_for_the_late_common_answer(p: Personas) -> None:
    """R-8.3, R-8.9, R-12: health's part is in at 11:00, roads' at 16:00 (its R-8.9 part was due 15:45), roads'
    executor Давыдов composes late (the R-8.9 composing, 5 h from 16:00, would end Tue 12:00; it is due with the
    R-8.3 total, Tue 10:45) and the answer is out after the total. The sweep after 10:45 charges Давыдов of roads —
    R-8.9 twice and R-8.3 once — and nobody of health: Алексеева's share of the 9 hours was her part, in time."""
    case = both(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 16, 0))
    case.refresh_from_db()
    assert case.composer == p.dave
    # health's share closed at its part; roads' deadline runs on with its composer, due as before
    assert overall(case) == [
        ("Здравоохранение", "alice", msk(2025, 4, 29, 10, 45), msk(2025, 4, 28, 11, 0), False),
        ("Дороги", "dave", msk(2025, 4, 29, 10, 45), None, False),
    ]
    sla.sweep(now=msk(2025, 4, 29, 11, 0))
    charged = [
        ("R-8.9", "dave", "Дороги"),  # the part, due Mon 15:45
        ("R-8.3", "dave", "Дороги"),  # the common answer, due Tue 10:45
        ("R-8.9", "dave", "Дороги"),  # the composing, due with it
    ]
    assert violations(case) == charged
    common = actions.submit_draft(p.dave, case, "answer", ANSWER, now=msk(2025, 4, 29, 12, 30))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 29, 12, 40))
    publish(p.dave, common, msk(2025, 4, 29, 12, 50), 31)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert violations(case) == charged  # the publication adds nothing
    assert not Violation.objects.filter(person=p.alice).exists()
    # R-13: health's answer deadline is on time (its part, 1 h), roads' is late (the answer, published Tue)
    rows = {r["body"]: r for r in monthly.build(APRIL)["timeliness"]["rows"] if r["cases"]}
    assert {b: (r["answer_deadlines"], r["answer_late"]) for b, r in rows.items()} == {
        "Здравоохранение": (1, 0),
        "Дороги": (1, 1),
    }
    assert rows["Здравоохранение"]["median_minutes"] == 60.0


def test_the_curator_who_composes_carries_the_total(p: Personas) -> None:
    """R-8.3, R-8.9, R-12: in the curator-composes mode both parts are in (roads' late for R-8.9), the curator
    composes late and the answer is out after Tue 10:45: the R-8.3 violation is the curator's, of the information
    policy office; neither body is charged with R-8.3."""
    case = both(p, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 16, 0))
    case.refresh_from_db()
    assert case.composer == p.curator
    office = "Управление информационной политики"
    assert overall(case) == [
        ("Здравоохранение", "alice", msk(2025, 4, 29, 10, 45), msk(2025, 4, 28, 11, 0), False),
        ("Дороги", "dave", msk(2025, 4, 29, 10, 45), msk(2025, 4, 28, 16, 0), False),
        (office, "curator", msk(2025, 4, 29, 10, 45), None, False),
    ]
    carried = Deadline.objects.filter(case=case, stage=Deadline.Stage.OVERALL).order_by("id").last()
    assert carried is not None and carried.started_at == msk(2025, 4, 28, 10, 0)
    common = actions.submit_draft(p.curator, case, "answer", ANSWER, now=msk(2025, 4, 29, 12, 30))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 29, 12, 40))
    publish(p.alice, common, msk(2025, 4, 29, 12, 50), 32)
    assert violations(case) == [
        ("R-8.9", "dave", "Дороги"),
        # the composing is due with the total (Tue 10:45): missed when the draft came at 12:30, before the total
        # was missed at the publication
        ("R-8.9", "curator", office),
        ("R-8.3", "curator", office),
    ]


def test_a_shortened_total_is_carried_as_shortened(p: Personas) -> None:
    """R-8.3 (shortened to 4 hours by the curator), R-8.9, R-12: health first (10:00, due 14:45), roads when
    health's part is in (11:00, due 15:45). The curator composes: the deadline carried is the last body's, the
    same 4 hours from 11:00 — not 9 hours, not counted again from the parts. Published at 16:00: the curator's
    R-8.3; health, whose part came at 11:00, is not charged although 14:45 has passed."""
    case = dispatch(
        p.curator,
        p.health,
        p.roads,
        at=msk(2025, 4, 28, 10, 0),
        shortened_minutes=240,
        multi_mode=Case.MultiMode.COMMON_BY_CURATOR,
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    carried = Deadline.objects.filter(case=case, stage=Deadline.Stage.OVERALL).order_by("id").last()
    assert carried is not None
    assert (carried.responsible, carried.started_at, carried.due_at, carried.working_minutes) == (
        p.curator,
        msk(2025, 4, 28, 11, 0),
        msk(2025, 4, 28, 15, 45),
        240,
    )
    sla.sweep(now=msk(2025, 4, 28, 15, 0))  # after health's 14:45: nothing to charge
    assert violations(case) == []
    common = actions.submit_draft(p.curator, case, "answer", ANSWER, now=msk(2025, 4, 28, 15, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 28, 15, 10))
    publish(p.alice, common, msk(2025, 4, 28, 16, 0), 33)
    assert violations(case) == [
        ("R-8.7", "alice", "Здравоохранение"),  # approved 15:10, published 16:00
        ("R-8.3", "curator", "Управление информационной политики"),
    ]


def test_everybody_in_time_means_no_violation(p: Personas) -> None:
    """R-8.3, R-8.9, R-12: parts at 11:00 and 12:00, the common answer out at 14:20: no violation; health's R-8.3
    deadline is met at its part, roads' (its executor composed) at the publication."""
    case = both(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    common = actions.submit_draft(p.dave, case, "answer", ANSWER, now=msk(2025, 4, 28, 14, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 28, 14, 5))
    publish(p.dave, common, msk(2025, 4, 28, 14, 20), 34)
    sla.sweep(now=msk(2025, 4, 30, 12, 0))
    assert violations(case) == []
    assert [(b, met) for b, _, _, met, _ in overall(case)] == [
        ("Здравоохранение", msk(2025, 4, 28, 11, 0)),
        ("Дороги", msk(2025, 4, 28, 14, 20)),
    ]


def test_a_late_part_is_its_bodys_r83_violation_and_nobody_is_charged_twice(p: Personas) -> None:
    """R-8.3, R-8.9, R-12: roads' part comes on Tuesday at 11:00, after the R-8.3 total (10:45): that is roads'
    violation (Давыдов). The curator composes with the total already run out and is not charged for it again."""
    case = both(p, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 29, 11, 0))
    sla.sweep(now=msk(2025, 4, 29, 11, 5))
    common = actions.submit_draft(p.curator, case, "answer", ANSWER, now=msk(2025, 4, 29, 12, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 29, 12, 5))
    publish(p.alice, common, msk(2025, 4, 29, 12, 20), 35)
    assert violations(case) == [("R-8.9", "dave", "Дороги"), ("R-8.3", "dave", "Дороги")]


def test_refusal_and_a_new_body_keep_the_parts_share(p: Personas) -> None:
    """R-8.2, R-8.3, R-8.9: health's part is in at 10:40; roads refuses at 10:50, so Алексеева would compose and
    carries the total; the curator names culture at 11:00, the common answer waits for culture's part, and health's
    R-8.3 deadline is again met at its part (10:40). Culture's executor composes; all in time: no violation."""
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case = both(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 10, 40))
    roads = case.assignments.get(body=p.roads)
    actions.reject_assignment(p.dave, roads, "Дорога не региональная", now=msk(2025, 4, 28, 10, 50))
    case.refresh_from_db()
    assert case.composer == p.alice
    assert [(b, who, met) for b, who, _, met, _ in overall(case) if b == "Здравоохранение"] == [
        ("Здравоохранение", "alice", None)
    ]
    actions.reassign(p.curator, roads, culture, now=msk(2025, 4, 28, 11, 0))
    case.refresh_from_db()
    assert case.composer is None
    actions.submit_draft(eva, case, "part", "Концерт перенесён.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    assert case.composer == eva
    common = actions.submit_draft(eva, case, "answer", ANSWER, now=msk(2025, 4, 28, 14, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 28, 14, 5))
    publish(eva, common, msk(2025, 4, 28, 14, 20), 36)
    sla.sweep(now=msk(2025, 4, 30, 12, 0))
    assert violations(case) == []
    met = {b: m for b, _, _, m, _ in overall(case) if m is not None}
    assert met == {"Здравоохранение": msk(2025, 4, 28, 10, 40), "Культура": msk(2025, 4, 28, 14, 20)}


@pytest.fixture
def p(personas: Personas) -> Personas:
    return personas
