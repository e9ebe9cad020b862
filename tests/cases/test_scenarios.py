"""Clause 8 scenario by scenario (R-8.1 … R-8.10) on a controlled clock over real calendar dates:
a Friday evening, the May holidays of 2025, the moved working Saturday 01.11.2025 (shortened) and
the working Saturday 28.12.2024. Every due time below was counted by hand from the production calendar."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused, Route
from otklik.cases.models import Assignment, Case, CaseEvent, Deadline, Draft, Notification, Publication
from otklik.org.models import Absence
from tests.cases.helpers import current_draft, deadline, dispatch, message, violations
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт участка улицы Соборной в Гатчине запланирован на июнь."


def test_curator_dispatches_with_topic_importance_and_a_shortened_deadline(personas: Personas) -> None:
    """R-8.1: topic, place, importance, shortened deadline; the body's executor receives it at once."""
    p = personas
    msg = message()
    case = actions.dispatch_case(
        p.curator,
        [msg],
        [Route(p.health)],
        importance="high",
        shortened_minutes=120,
        now=msk(2025, 4, 25, 15, 0),
    )
    assert case.status == Case.Status.DRAFTING
    assert list(case.messages.all()) == [msg]
    a = case.assignments.get()
    assert (a.body, a.intended_executor, a.executor) == (p.health, p.alice, p.alice)
    # Friday 15:00–16:45 is 1 h 45 min; the remaining 15 min fall on Monday.
    assert deadline(case, "overall").due_at == msk(2025, 4, 28, 9, 15)
    # R-8.4's 5 h would end on Monday at 12:15, after the whole term: the draft is due with it
    assert deadline(case, "draft").due_at == msk(2025, 4, 28, 9, 15)
    assert CaseEvent.objects.filter(case=case, action="dispatch_case").exists()
    assert Notification.objects.filter(recipient=p.alice, case=case, kind="work").exists()
    with pytest.raises(ActionRefused, match="уже в работе"):
        actions.dispatch_case(p.curator, [msg], [Route(p.roads)], now=msk(2025, 4, 25, 15, 5))
    with pytest.raises(ActionRefused, match="куратор"):
        actions.dispatch_case(p.alice, [message()], [Route(p.roads)], now=msk(2025, 4, 25, 15, 5))


def test_work_for_an_absent_executor_goes_to_the_substitute_and_both_are_recorded(personas: Personas) -> None:
    """R-6 within R-8.1: the intended executor is away; the substitute receives the work and the deadlines."""
    p = personas
    Absence.objects.create(
        person=p.alice,
        substitute=p.bob,
        reason="vacation",
        starts_at=msk(2025, 4, 20, 0, 0),
        ends_at=msk(2025, 5, 6, 0, 0),
    )
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    a = case.assignments.get()
    assert (a.intended_executor, a.executor) == (p.alice, p.bob)
    assert "Борисов" in a.duty_note and "отсутствует до" in a.duty_note and "отпуск" not in a.duty_note
    assert deadline(case, "draft").responsible == p.bob


def test_rejection_within_60_minutes_is_routine_and_the_curator_reassigns(personas: Personas) -> None:
    """R-8.2: within the window no violation; the case waits for the curator, who names a new body."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    assert deadline(case, "reject_window").due_at == msk(2025, 4, 25, 16, 0)
    a = case.assignments.get()
    with pytest.raises(ActionRefused, match="исполнитель органа"):
        actions.reject_assignment(p.dave, a, "не наше", now=msk(2025, 4, 25, 15, 30))
    with pytest.raises(ActionRefused, match="почему"):
        actions.reject_assignment(p.alice, a, " ", now=msk(2025, 4, 25, 15, 30))
    actions.reject_assignment(p.alice, a, "Ремонт дорог — дорожный комитет", now=msk(2025, 4, 25, 15, 40))
    case.refresh_from_db()
    assert case.status == Case.Status.REROUTING
    assert violations(case) == []
    assert not Deadline.objects.filter(case=case, met_at=None, cancelled_at=None).exists()
    assert Notification.objects.filter(recipient=p.curator, case=case).exists()
    new = actions.reassign(p.curator, a, p.roads, now=msk(2025, 4, 25, 16, 10))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and new.executor == p.dave
    # the new body's clock starts at reassignment: 16:10–16:45 = 35 min, Monday gives the rest
    assert deadline(case, "draft").due_at == msk(2025, 4, 28, 14, 10)
    assert deadline(case, "overall").due_at == msk(2025, 4, 29, 9, 10)


def test_rejection_after_60_working_minutes_goes_through_with_a_violation(personas: Personas) -> None:
    """R-8.2: Friday 16:30 + 60 working minutes = Monday 09:45; rejecting at 10:00 is a violation of alice."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 16, 30))
    assert deadline(case, "reject_window").due_at == msk(2025, 4, 28, 9, 45)
    report = sla.sweep(now=msk(2025, 4, 28, 9, 50))  # the window ends quietly
    assert report.windows_expired == 1 and violations(case) == []
    actions.reject_assignment(
        p.alice, case.assignments.get(), "не наша компетенция", now=msk(2025, 4, 28, 10, 0)
    )
    assert violations(case) == [("R-8.2", "alice", "Здравоохранение")]


def test_overall_limit_is_9_working_hours_or_4_for_high_importance(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """R-8.3: dispatched Friday 15:00 — normal due Monday 17:00, high due Monday 11:15; the sweep records
    the breach once, tells the curator in the app and by e-mail."""
    p = personas
    p.curator.email = "curator@example.org"
    p.curator.save()
    normal = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    high = dispatch(p.curator, p.roads, at=msk(2025, 4, 25, 15, 0), importance="high")
    assert deadline(normal, "overall").due_at == msk(2025, 4, 28, 17, 0)
    assert deadline(high, "overall").due_at == msk(2025, 4, 28, 11, 15)
    sla.sweep(now=msk(2025, 4, 28, 11, 14))
    assert ("R-8.3", "dave", "Дороги") not in violations(high)
    with django_capture_on_commit_callbacks(execute=True):
        sla.sweep(now=msk(2025, 4, 28, 11, 16))
    sla.sweep(now=msk(2025, 4, 28, 11, 17))  # a second sweep changes nothing
    assert violations(high).count(("R-8.3", "dave", "Дороги")) == 1
    assert ("R-8.3", "alice", "Здравоохранение") not in violations(normal)
    assert Notification.objects.filter(recipient=p.curator, case=high, kind="breach").count() >= 1
    assert any(f"обращению № {high.pk}" in m.subject + m.body for m in mail.outbox)


def test_a_stage_of_the_work_is_never_due_after_the_whole_of_it(personas: Personas) -> None:
    """R-8.3 against R-8.4 and R-8.9: with high importance the whole answer is due in 4 working hours, but the
    executor's own term is 5; the executor is shown (and held to) one due time that can be met — the draft of a
    high-importance case, and a body's part of one of several bodies, is due when the whole is. A normal case
    keeps its 5 hours within the 9."""
    p = personas
    normal = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 15, 0))
    assert deadline(normal, "draft").due_at == msk(2025, 4, 28, 12, 15)  # 1 h 45 on Friday, 3 h 15 on Monday
    assert deadline(normal, "overall").due_at == msk(2025, 4, 28, 17, 0)
    high = dispatch(p.curator, p.roads, at=msk(2025, 4, 25, 15, 0), importance="high")
    assert deadline(high, "overall").due_at == msk(2025, 4, 28, 11, 15)
    assert deadline(high, "draft").due_at == msk(2025, 4, 28, 11, 15)
    assert deadline(high, "draft").working_minutes == 240
    both = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 25, 15, 0), importance="high")
    first = both.assignments.get(body=p.health)
    part = Deadline.objects.get(case=both, stage="part", assignment=first)
    assert part.due_at == msk(2025, 4, 28, 11, 15)
    # a draft sent after the whole term broke both clauses, and both are recorded
    sla.sweep(now=msk(2025, 4, 28, 11, 16))
    assert sorted(violations(high)) == [("R-8.3", "dave", "Дороги"), ("R-8.4", "dave", "Дороги")]


def test_the_common_answer_of_a_high_importance_case_is_due_by_the_whole_term(personas: Personas) -> None:
    """R-8.3 with R-8.9: with high importance the last body's 4 working hours end at 15:45; its executor composes
    the common answer from 14:00, and the composing (5 h by analogy with R-8.4) is due by 15:45 too, not on the
    next morning."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), importance="high")
    health, roads = case.assignments.order_by("order")
    assert Deadline.objects.get(case=case, stage="part", assignment=health).due_at == msk(2025, 4, 28, 14, 45)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    assert Deadline.objects.get(case=case, stage="part", assignment=roads).due_at == msk(2025, 4, 28, 15, 45)
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируем в мае.", now=msk(2025, 4, 28, 14, 0))
    case.refresh_from_db()
    assert case.composer == p.dave
    assert deadline(case, "overall", open_only=True).due_at == msk(2025, 4, 28, 15, 45)
    assert deadline(case, "compose").due_at == msk(2025, 4, 28, 15, 45)


def test_draft_is_due_in_5_working_hours_across_the_may_holidays(personas: Personas) -> None:
    """R-8.4: dispatched on the shortened 30.04.2025 at 16:00: one hour that day, 1–4 May are holidays,
    the remaining four hours end on 05.05 at 13:00. Sent at 12:59 it is in time."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 30, 16, 0))
    assert deadline(case, "draft").due_at == msk(2025, 5, 5, 13, 0)
    with pytest.raises(ActionRefused, match="пуст"):
        actions.submit_draft(p.alice, case, "answer", "  ", now=msk(2025, 5, 5, 12, 0))
    draft = actions.submit_draft(p.alice, case, "interim", ANSWER, now=msk(2025, 5, 5, 12, 59))
    assert draft.score is not None and draft.kind == Draft.Kind.INTERIM
    assert deadline(case, "draft").met_at == msk(2025, 5, 5, 12, 59)
    # opens: 1 min before lunch, 59 after it
    assert deadline(case, "review").due_at == msk(2025, 5, 5, 14, 44)
    assert violations(case) == []


def test_late_draft_is_a_violation_of_the_executor(personas: Personas) -> None:
    """R-8.4: a draft sent after the 5 working hours still goes to review and the delay is recorded."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 30, 16, 0))
    actions.submit_draft(p.bob, case, "answer", ANSWER, now=msk(2025, 5, 5, 13, 50))
    assert violations(case) == [("R-8.4", "alice", "Здравоохранение")]


def test_curator_reviews_within_one_working_hour_over_the_moved_working_saturday(personas: Personas) -> None:
    """R-8.5: a draft arriving Saturday 01.11.2025 (working, shortened to 17:00) at 16:30 is due for review
    on Wednesday 05.11 at 09:30 (03.11 is the moved day off, 04.11 a holiday); 09:40 is late."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 10, 31, 15, 0))
    assert deadline(case, "overall").due_at == msk(2025, 11, 1, 17, 0)
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 11, 1, 16, 30))
    assert deadline(case, "review").due_at == msk(2025, 11, 5, 9, 30)
    actions.approve_draft(p.curator, draft, now=msk(2025, 11, 5, 9, 40))
    assert ("R-8.5", "curator", "Управление информационной политики") in violations(case)
    # 30 minutes from approval
    assert deadline(case, "publish").due_at == msk(2025, 11, 5, 10, 10)


def test_returned_draft_is_revised_within_one_working_hour_on_the_working_saturday(
    personas: Personas,
) -> None:
    """R-8.5/R-8.6: returned Friday 27.12.2024 at 16:30, revision due Saturday 28.12 (a working day) 09:45."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2024, 12, 27, 10, 0))
    draft = actions.submit_draft(
        p.alice, case, "answer", "Ответ без приветствия", now=msk(2024, 12, 27, 15, 30)
    )
    with pytest.raises(ActionRefused, match="доработать"):
        actions.return_draft(p.curator, draft, "", now=msk(2024, 12, 27, 16, 30))
    actions.return_draft(p.curator, draft, "Поздоровайтесь с автором", now=msk(2024, 12, 27, 16, 30))
    case.refresh_from_db()
    assert case.status == Case.Status.REVISION
    assert deadline(case, "revise").due_at == msk(2024, 12, 28, 9, 45)
    new = actions.revise_draft(p.alice, draft, ANSWER, now=msk(2024, 12, 28, 9, 40))
    assert new.version == 2 and new.previous == draft
    assert deadline(case, "review").due_at == msk(2024, 12, 28, 10, 40)
    assert violations(case) == []
    assert [r.decision for r in draft.reviews.all()] == ["return"]


def test_late_revision_is_a_violation(personas: Personas) -> None:
    """R-8.6: revised after the working hour."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2024, 12, 27, 10, 0))
    draft = actions.submit_draft(p.alice, case, "answer", "Ответ", now=msk(2024, 12, 27, 11, 0))
    actions.return_draft(p.curator, draft, "Конкретнее", now=msk(2024, 12, 27, 11, 30))
    actions.revise_draft(p.alice, draft, ANSWER, now=msk(2024, 12, 27, 14, 0))
    # 11:30–13:00 is 90 minutes, so the hour ended at 12:30
    assert violations(case) == [("R-8.6", "alice", "Здравоохранение")]


def test_approved_answer_is_published_within_30_minutes_by_confirming_the_link(personas: Personas) -> None:
    """R-8.7: approved Friday 16:30, the 30 minutes end Monday 09:15; confirmed at 09:20 it is late.
    Publication closes the case and meets the overall limit (R-8.3)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 25, 10, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 25, 15, 45))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 25, 16, 30))
    assert deadline(case, "publish").due_at == msk(2025, 4, 28, 9, 15)
    with pytest.raises(ActionRefused, match="ссылку"):
        actions.confirm_publication(p.alice, draft, url="vk.com", now=msk(2025, 4, 28, 9, 20))
    with pytest.raises(ActionRefused, match="исполнитель органа"):
        actions.confirm_publication(
            p.dave, draft, url="https://vk.com/wall-1_1?reply=5", now=msk(2025, 4, 28, 9, 20)
        )
    pub = actions.confirm_publication(
        p.alice, draft, url="https://vk.com/wall-1_1?reply=5", now=msk(2025, 4, 28, 9, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.closed_at == msk(2025, 4, 28, 9, 20)
    assert pub.method == Publication.Method.MANUAL and pub.network == "vk"
    assert violations(case) == [("R-8.7", "alice", "Здравоохранение")]
    overall = deadline(case, "overall")
    assert overall.met_at == msk(2025, 4, 28, 9, 20) and overall.breached_at is None  # due 12:00 that day
    assert not Deadline.objects.filter(case=case, met_at=None, cancelled_at=None).exists()
    assert set(case.assignments.values_list("state", flat=True)) == {Assignment.State.DONE}
    with pytest.raises(ActionRefused, match="закрыто"):
        actions.close_case(p.curator, case, "ещё раз", now=msk(2025, 4, 28, 10, 0))


def test_interim_answer_opens_a_7_working_day_window_for_the_final_one(personas: Personas) -> None:
    """R-8.8: interim published Tuesday 29.04.2025; seven working days after it (30.04, 05–07.05,
    12–14.05; the 8–11 May holidays skipped) end 14.05 at 18:00. The sweep records the breach after it."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 29, 9, 0))
    interim = actions.submit_draft(p.alice, case, "interim", ANSWER, now=msk(2025, 4, 29, 10, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 29, 10, 30))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=7", now=msk(2025, 4, 29, 11, 0)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    final = deadline(case, "final")
    assert (final.due_at, final.responsible) == (msk(2025, 5, 14, 18, 0), p.alice)
    sla.sweep(now=msk(2025, 5, 14, 17, 59))
    assert violations(case) == []
    sla.sweep(now=msk(2025, 5, 15, 9, 0))
    assert violations(case) == [("R-8.8", "alice", "Здравоохранение")]
    answer = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 5, 15, 10, 0))
    actions.approve_draft(p.curator, answer, now=msk(2025, 5, 15, 10, 10))
    actions.confirm_publication(
        p.alice, answer, url="https://vk.com/wall-1_1?reply=9", now=msk(2025, 5, 15, 10, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.publications.count() == 2


def test_clarification_request_waits_for_the_author_whose_reply_reopens_drafting(personas: Personas) -> None:
    """R-8.4: a clarification request is a draft like the others; once published the case waits for the
    author (no running deadline), and the reply opens a new 5-hour drafting limit."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    q = actions.submit_draft(
        p.alice,
        case,
        "clarification",
        "Здравствуйте! Уточните адрес поликлиники.",
        now=msk(2025, 4, 28, 10, 0),
    )
    actions.approve_draft(p.curator, q, now=msk(2025, 4, 28, 10, 20))
    actions.confirm_publication(
        p.alice, q, url="https://vk.com/wall-1_1?reply=3", now=msk(2025, 4, 28, 10, 30)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert not Deadline.objects.filter(case=case, met_at=None, cancelled_at=None).exists()
    reply = message("Поликлиника на ул. Ленина, 5, Кировск")
    actions.register_author_reply(p.alice, case, reply, now=msk(2025, 4, 28, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and reply in case.messages.all()
    assert deadline(case, "draft", open_only=True).due_at == msk(2025, 4, 29, 11, 0)


def test_several_bodies_send_parts_in_order_and_the_last_executor_composes(personas: Personas) -> None:
    """R-8.9: the curator's order — health first, roads when health's part is in; 5 working hours for each
    part from receipt; the last executor drafts the common answer and publishes it."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))
    health, roads = case.assignments.order_by("order")
    assert (health.state, roads.state) == ("active", "waiting")
    assert deadline(case, "part").due_at == msk(2025, 4, 28, 15, 45)
    with pytest.raises(ActionRefused, match="все органы"):
        actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 30))
    actions.submit_draft(
        p.alice, case, "part", "Поликлиника откроется после ремонта 1 июня.", now=msk(2025, 4, 28, 11, 0)
    )
    roads.refresh_from_db()
    assert (roads.state, roads.executor, roads.received_at) == ("active", p.dave, msk(2025, 4, 28, 11, 0))
    part_roads = Deadline.objects.get(case=case, stage="part", assignment=roads)
    assert part_roads.due_at == msk(2025, 4, 28, 16, 45)
    actions.submit_draft(
        p.dave, case, "part", "Подъездную дорогу отремонтируем в мае.", now=msk(2025, 4, 28, 14, 0)
    )
    case.refresh_from_db()
    assert case.composer == p.dave and case.status == Case.Status.DRAFTING
    assert deadline(case, "compose").due_at == msk(2025, 4, 29, 10, 0)
    with pytest.raises(ActionRefused, match="Общий ответ готовит"):
        actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 15, 0))
    common = actions.submit_draft(p.dave, case, "answer", ANSWER, now=msk(2025, 4, 28, 15, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 28, 15, 30))
    assert deadline(case, "publish").responsible == p.dave
    actions.confirm_publication(
        p.dave, common, url="https://vk.com/wall-1_1?reply=11", now=msk(2025, 4, 28, 15, 50)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and violations(case) == []


def test_curator_composes_the_common_answer_when_so_decided(personas: Personas) -> None:
    """R-8.9: the curator drafts the common answer from the parts; the first body's executor publishes."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode="common_by_curator")
    actions.submit_draft(p.alice, case, "part", "Часть здравоохранения", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Часть дорожников", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    assert case.composer == p.curator
    common = actions.submit_draft(p.curator, case, "answer", ANSWER, now=msk(2025, 4, 28, 14, 0))
    assert common.assignment is None
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 28, 14, 5))
    assert deadline(case, "publish").responsible == p.alice
    actions.confirm_publication(
        p.alice, common, url="https://vk.com/wall-1_1?reply=12", now=msk(2025, 4, 28, 14, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_parts_are_published_one_by_one_in_the_curators_order(personas: Personas) -> None:
    """R-8.9: without a common answer each body's part is reviewed and published in the order set."""
    p = personas
    case = dispatch(p.curator, p.roads, p.health, at=msk(2025, 4, 28, 10, 0), multi_mode="parts_one_by_one")
    actions.submit_draft(
        p.dave, case, "part", "Здравствуйте! Дорогу отремонтируем в мае.", now=msk(2025, 4, 28, 11, 0)
    )
    actions.submit_draft(
        p.alice, case, "part", "Здравствуйте! Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 12, 0)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    first = case.drafts.get(state="submitted")
    assert first.author == p.dave
    actions.approve_draft(p.curator, first, now=msk(2025, 4, 28, 12, 10))
    actions.confirm_publication(
        p.dave, first, url="https://vk.com/wall-1_1?reply=21", now=msk(2025, 4, 28, 12, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    # R-8.3 per body (R-8.9): roads' share was its part, in at 11:00; health's part came last, so health carries
    # the answer deadline until the last part is out
    overall = {d.body: d for d in Deadline.objects.filter(case=case, stage="overall")}
    assert overall[p.roads].met_at == msk(2025, 4, 28, 11, 0)
    assert overall[p.health].met_at is None
    second = case.drafts.get(state="submitted")
    assert second.author == p.alice
    assert deadline(case, "review", open_only=True).due_at == msk(2025, 4, 28, 14, 5)
    actions.approve_draft(p.curator, second, now=msk(2025, 4, 28, 14, 0))
    actions.confirm_publication(
        p.alice, second, url="https://vk.com/wall-1_1?reply=22", now=msk(2025, 4, 28, 14, 10)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.publications.count() == 2
    assert Deadline.objects.get(case=case, stage="overall", body=p.health).met_at == msk(2025, 4, 28, 14, 10)


def test_repeat_goes_to_the_same_bodies_and_its_answer_must_state_the_measures(personas: Personas) -> None:
    """R-8.10: the repeat links to the earlier case, goes to the same body, and an answer that does not say what
    was done is refused when the executor sends it (no return round spent on it); R-8.2–8.9 apply as usual."""
    p = personas
    earlier = dispatch(p.curator, p.roads, at=msk(2025, 4, 1, 10, 0))
    repeat = actions.dispatch_case(
        p.curator, [message("Опять ямы на Соборной!")], repeat_of=earlier, now=msk(2025, 4, 28, 10, 0)
    )
    assert repeat.repeat_of == earlier
    assert [a.body for a in repeat.assignments.all()] == [p.roads]
    assert deadline(repeat, "draft").due_at == msk(2025, 4, 28, 15, 45)
    with pytest.raises(ActionRefused, match=r"п\. 8\.10 Положения") as refused:
        actions.submit_draft(p.dave, repeat, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    assert refused.value.code == "measures"
    draft = actions.submit_draft(
        p.dave,
        repeat,
        "answer",
        ANSWER,
        measures="Ямочный ремонт выполнен 20.04",
        now=msk(2025, 4, 28, 11, 0),
    )
    actions.return_draft(
        p.curator, draft, "Укажите, что сделано после прошлого обращения", now=msk(2025, 4, 28, 11, 10)
    )
    fixed = actions.revise_draft(
        p.dave,
        draft,
        ANSWER,
        measures="Ямочный ремонт выполнен 20.04, капремонт в июне",
        now=msk(2025, 4, 28, 11, 30),
    )
    actions.approve_draft(p.curator, fixed, now=msk(2025, 4, 28, 11, 40))
    repeat.refresh_from_db()
    assert repeat.status == Case.Status.PUBLISHING
    assert current_draft(repeat).measures.startswith("Ямочный ремонт")
