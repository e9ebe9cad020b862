"""R-8.3, R-8.7, R-8.9, R-12, R-13: parts published one by one, and one body publishes its approved part late.

What a user now sees: a body that sent its part in time and published it within its 30 minutes is not charged
when the answer comes after the 9 working hours because another body published its own approved part late. The
body that held the answer up answers for the overall term: its executor has the R-8.7 violation of the late
publication and the R-8.3 violation of the late answer (one late act breaking two clauses, as a late draft or a late
part already does); the carrier's own term reads «выполнен в срок», met at its part; the case page's timeline says
«срок ответа — на органе, задержавшем ответ» with the reason, and the breach notice and the violation's note say
the same; the monthly report shows «Дороги» with no late answer and «Здравоохранение» with one. When no other body
ran over its own terms — the curator's late review — the carrier still answers (tests/cases/test_s6h_one_by_one.py);
when the carrier itself ran over longer than the other body, it answers too. The reasoning:
docs/decisions/0005-parts-one-by-one-overall-term.md.

Monday 03.03.2025, default schedule (09:00–18:00, lunch 13:00–13:45). Health is first in the curator's order and
receives the message Mon 10:00. Roads is second and receives it when health's part comes in, Mon 14:00. Roads'
R-8.3 total runs Mon 14:00 → Tue 14:45 and its R-8.9 part is due Tue 10:00 (hand-counted in
tests/cases/test_s6h_one_by_one.py).

- Health's part: Mon 14:00. Roads' part: Tue 09:55 (in time). The parts now go to review.
- The curator approves health's part Tue 10:00. Health's executor Алексеева publishes it at 14:50, not by 10:30
  (R-8.7).
- Only then does roads' part go to review: approved 14:55, and Давыдов publishes it at 15:00, five minutes after
  the approval.

Found by a review (session 21): the carried total was recorded as Давыдов's violation, and the monthly report
showed «Дороги» with 0 % answers in time and «Здравоохранение», whose late publication held the case up, 100 %."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from django.db import connection
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.models import Case, CaseEvent, Deadline, Draft, Notification, Violation
from otklik.org.models import Person
from tests.cases.helpers import dispatch, violations
from tests.cases.test_explore_races import Writer, _held, _race
from tests.cases.test_s5c_overall import overall
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

HEALTH = "Здравствуйте, Ирина! Поликлиника откроется 1 июня."
ROADS = "Здравствуйте, Ирина! Подъездную дорогу отремонтируют в мае."
HELD_UP = (
    "Ответ задерживал орган «Здравоохранение»: публикация его части опоздала (п. 8.7, срок 04.03.2025 10:30)"
)


def _publish(person: Person, draft: Draft, at: datetime, reply: int) -> None:
    actions.confirm_publication(person, draft, url=f"https://vk.com/wall-1_1?reply={reply}", now=at)


def _in_review(case: Case) -> Draft:
    return case.drafts.get(state=Draft.State.SUBMITTED)


def _parts_in(p: Personas) -> Case:
    """Both parts in time (Mon 14:00, Tue 09:55): Давыдов carries roads' total, due Tue 14:45."""
    case = dispatch(
        p.curator, p.health, p.roads, at=msk(2025, 3, 3, 10, 0), multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE
    )
    actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 14, 0))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 4, 9, 55))
    return case


def _health_publishes_late(p: Personas, *, sweep_at: datetime | None = None) -> Case:
    case = _parts_in(p)
    first = _in_review(case)
    assert first.author == p.alice
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    if sweep_at is not None:
        sla.sweep(now=sweep_at)
    _publish(p.alice, first, msk(2025, 3, 4, 14, 50), 910001)  # was due 10:30
    second = _in_review(case)
    assert second.author == p.dave
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 55))
    _publish(p.dave, second, msk(2025, 3, 4, 15, 0), 910002)  # five minutes after the approval
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    return case


def test_the_body_that_published_in_time_is_not_charged_for_the_other_bodys_late_publication(
    personas: Personas,
) -> None:
    p = personas
    case = _health_publishes_late(p)
    charged = [
        (v.rid, v.person.username if v.person else "")
        for v in Violation.objects.filter(case=case).select_related("person").order_by("id")
    ]
    # health's late publication is health's, and so is the late answer it held up
    assert charged == [("R-8.7", "alice"), ("R-8.3", "alice")], (
        f"violations recorded: {charged} — Давыдов sent his part in time and published it 5 minutes after the "
        "approval; the answer was late because health published its approved part 4 h 20 min late"
    )
    # roads' own term met at its part, its share; the total, due as it was, recorded on health
    assert overall(case) == [
        ("Здравоохранение", "alice", msk(2025, 3, 4, 10, 45), msk(2025, 3, 3, 14, 0), False),
        ("Дороги", "dave", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 9, 55), False),
        ("Здравоохранение", "alice", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 15, 0), True),
    ]
    total = Violation.objects.get(case=case, rid="R-8.3")
    assert (
        HELD_UP in total.note
        and f"а не на орган «Дороги», нёсший общий срок (исполнитель {p.dave}; п. 8.9)" in total.note
    )
    assert total.due_at == msk(2025, 3, 4, 14, 45)


def test_the_monthly_report_does_not_show_the_punctual_body_late(personas: Personas, client: Client) -> None:
    p = personas
    _health_publishes_late(p)
    client.force_login(p.observer)
    report = client.get("/reports/monthly/?month=2025-03&format=json").json()["timeliness"]
    rows = {r["body"]: r for r in report["rows"]}
    roads, health = rows["Дороги"], rows["Здравоохранение"]
    assert roads["answer_late"] == 0, (
        f"«Дороги»: answers in time {roads['on_time_share']}, «Здравоохранение»: {health['on_time_share']} — "
        "roads did its part and its publication in time; health's publication held the answer up"
    )
    assert health["answer_late"] == 1
    assert report["total"]["answer_late"] == 1  # the citizen got the answer late: the case counts late once


def test_the_sweep_at_the_due_moment_charges_the_body_holding_the_answer_and_says_so(
    personas: Personas, client: Client
) -> None:
    """R-8.3, R-8.7, R-12: the sweep at Tue 14:47, while health's approved part still waits for publication (due
    10:30), records the R-8.3 violation on Алексеева, not on Давыдов; the breach notice, the timeline and the case page
    say so, and nothing is recorded again at the publications."""
    p = personas
    case = _health_publishes_late(p, sweep_at=msk(2025, 3, 4, 14, 47))
    assert violations(case) == [("R-8.7", "alice", "Здравоохранение"), ("R-8.3", "alice", "Здравоохранение")]
    notices = Notification.objects.filter(case=case, kind=Notification.Kind.BREACH)
    assert not notices.filter(recipient=p.dave).exists()
    told = notices.get(recipient=p.alice, text__contains="п. 8.3")
    assert f"ответственный: {p.alice}." in told.text and HELD_UP in told.text
    event = CaseEvent.objects.get(case=case, action="total_held_up")
    assert event.at == msk(2025, 3, 4, 14, 47)
    assert HELD_UP in event.reason and event.reason.endswith(f"Отвечает {p.alice} («Здравоохранение»)")
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True).exists()
    client.force_login(p.curator)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "срок ответа — на органе, задержавшем ответ" in page
    listed = page[page.index("Нарушения сроков (п. 12)") :]
    # each violation as the page lists it, without its note: «‹stage› (п. N) — ‹person›, ‹body›; срок …»
    charged = [item.partition("<span")[0] for item in listed[: listed.index("</ul>")].split("<li>")[1:]]
    assert len(charged) == 2 and all(f"— {p.alice}, Здравоохранение; срок" in item for item in charged), (
        charged
    )


def test_a_late_publication_before_the_due_moment_still_answers_for_the_late_answer(
    personas: Personas,
) -> None:
    """R-8.3, R-8.5, R-8.7, R-8.9: health publishes its part Tue 13:50 (due 10:30: 2 h 35 min over). Roads' part is
    approved in time (14:40, R-8.5 due 14:50) and Давыдов publishes it 14:55 (R-8.7 due 15:10), after the total of
    14:45: the answer was late by health's overrun, not by anything roads or the curator did — Алексеева answers."""
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    _publish(p.alice, first, msk(2025, 3, 4, 13, 50), 910003)
    second = _in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 40))
    _publish(p.dave, second, msk(2025, 3, 4, 14, 55), 910004)
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert violations(case) == [("R-8.7", "alice", "Здравоохранение"), ("R-8.3", "alice", "Здравоохранение")]
    note = Violation.objects.get(case=case, rid="R-8.3").note
    assert "к сроку ответа — на 2 ч 35 мин рабочего времени сверх сроков органа" in note


def test_the_carrier_that_ran_over_longer_answers_for_the_total_itself(personas: Personas) -> None:
    """R-8.3, R-8.7, R-8.9: health publishes 10:40 (10 minutes over); roads' part, approved 11:00, is published by
    Давыдов only at 15:00 (R-8.7 due 11:30: 2 h 30 min over by 14:45). Each answers for its own late publication,
    and the late answer is Давыдов's: his own overrun, not health's ten minutes, made it late."""
    p = personas
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    _publish(p.alice, first, msk(2025, 3, 4, 10, 40), 910005)
    second = _in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 11, 0))
    sla.sweep(now=msk(2025, 3, 4, 14, 50))
    _publish(p.dave, second, msk(2025, 3, 4, 15, 0), 910006)
    assert sorted(violations(case)) == [
        ("R-8.3", "dave", "Дороги"),
        ("R-8.7", "alice", "Здравоохранение"),
        ("R-8.7", "dave", "Дороги"),
    ]
    assert not CaseEvent.objects.filter(case=case, action="total_held_up").exists()


def test_closing_the_case_after_the_total_ran_out_charges_the_body_holding_it_and_leaves_nothing_open(
    personas: Personas,
) -> None:
    """R-8.3, R-8.7, R-12: health's approved part is still not published when the curator closes the case Tue
    14:50, after the total (14:45) and before any sweep: the late answer is Алексеева's, recorded once, and no term
    of the case keeps running."""
    p = personas
    case = _parts_in(p)
    actions.approve_draft(p.curator, _in_review(case), now=msk(2025, 3, 4, 10, 0))
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=msk(2025, 3, 4, 14, 50))
    sla.sweep(now=msk(2025, 3, 6, 12, 0))
    assert sorted(violations(case)) == [
        ("R-8.3", "alice", "Здравоохранение"),
        ("R-8.7", "alice", "Здравоохранение"),
    ]
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True).exists()
    roads_own = Deadline.objects.get(case=case, stage=Deadline.Stage.OVERALL, body=p.roads)
    assert (roads_own.met_at, roads_own.breached_at) == (msk(2025, 3, 4, 9, 55), None)


POSTGRESQL_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="parallel writers need a server database (row locks); SQLite serialises every writer",
)


def _roads_in_publication(p: Personas) -> tuple[Case, Draft]:
    """Health's part published Tue 14:00 (R-8.7 due 10:30: 2 h 45 min over), roads' part approved 14:20: Давыдов
    publishes it at 14:50 (R-8.7 due 14:50, in time), after the total of 14:45 — held up by health."""
    case = _parts_in(p)
    first = _in_review(case)
    actions.approve_draft(p.curator, first, now=msk(2025, 3, 4, 10, 0))
    _publish(p.alice, first, msk(2025, 3, 4, 14, 0), 910007)
    second = _in_review(case)
    actions.approve_draft(p.curator, second, now=msk(2025, 3, 4, 14, 20))
    return case, second


def _charged_once(p: Personas, case: Case) -> None:
    assert sorted(violations(case)) == [
        ("R-8.3", "alice", "Здравоохранение"),
        ("R-8.7", "alice", "Здравоохранение"),
    ]
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True).exists()
    assert overall(case)[1:] == [
        ("Дороги", "dave", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 9, 55), False),
        ("Здравоохранение", "alice", msk(2025, 3, 4, 14, 45), msk(2025, 3, 4, 14, 50), True),
    ]
    assert CaseEvent.objects.filter(case=case, action="total_held_up").count() == 1


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_sweep_passing_the_total_while_the_last_part_is_published_charges_once(
    personas: Personas,
) -> None:
    """R-8.3, R-12: the sweep passes the total to health (its transaction still open) while Давыдов confirms the last
    publication: the confirmation waits for the case, then meets health's copy — one R-8.3 violation, nothing open."""
    p = personas
    case, second = _roads_in_publication(p)
    one, two = _race(
        lambda: sla.sweep(now=msk(2025, 3, 4, 14, 50)),
        lambda: _publish(p.dave, second, msk(2025, 3, 4, 14, 50), 910008),
    )
    assert one.error is None and two.error is None, (one.error, two.error)
    _charged_once(p, case)


@POSTGRESQL_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_sweep_does_not_wait_for_the_last_publication_nor_charge_the_total_again(
    personas: Personas,
) -> None:
    """R-8.3, R-12: Давыдов's confirmation of the last publication (its transaction still open) has passed the total
    to health; the sweep running meanwhile neither waits for the case nor records the total again."""
    p = personas
    case, second = _roads_in_publication(p)
    sla.sweep(
        now=msk(2025, 3, 4, 14, 45)
    )  # the reminders of the publication are out; nothing has run out yet
    assert violations(case) == [("R-8.7", "alice", "Здравоохранение")]
    started, release = threading.Event(), threading.Event()
    one = Writer(_held(lambda: _publish(p.dave, second, msk(2025, 3, 4, 14, 50), 910009), started, release))
    one.start()
    started.wait()
    two = Writer(lambda: sla.sweep(now=msk(2025, 3, 4, 14, 50)))
    two.start()
    two.join(timeout=30)
    finished = not two.is_alive()
    release.set()
    one.join()
    two.join()
    assert finished, "the sweep waited for the case an action held"
    assert one.error is None and two.error is None, (one.error, two.error)
    assert two.result.breached == 0
    _charged_once(p, case)
