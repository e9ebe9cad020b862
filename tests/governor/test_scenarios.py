"""Clause 7 on a controlled clock over real calendar dates (R-7.1 … R-7.4).

The post comes out on Friday 01.11.2024 at 17:30, after the Friday's working hours (09:00–16:45). The next
working day is the moved working Saturday 02.11.2024 (pre-holiday, 09:00–17:00), then Sunday and the holiday
Monday 04.11.2024 (День народного единства), then Tuesday 05.11.2024 (09:00–18:00). Lunch 13:00–13:45.
Every time below was counted by hand from that calendar.
"""

from __future__ import annotations

import pytest

from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, CaseEvent, Deadline, Publication, Violation
from otklik.governor import actions, service
from otklik.governor.models import Check, Comment
from otklik.governor.questions import detect
from otklik.governor.tasks import governor_checks
from otklik.intake.models import Message
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    ROADS_QUESTION,
    THANKS,
    answer_link,
    comment,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 1, 17, 30)


def gov_deadline(case: Case, stage: str) -> Deadline:
    return Deadline.objects.filter(case=case, stage=stage).order_by("-id").first()  # type: ignore[return-value]


def test_a_post_on_a_friday_evening_before_the_holiday_gets_its_window_and_check_schedule(
    p: Personas,
) -> None:
    """R-7.2, R-7.4: first window = 2 working hours from the post; then a check every 2 working hours over
    two working days (960 working minutes): 8 checks, skipping the night, Sunday, the holiday and lunches."""
    post = governor_post(governor_source(), POST_AT)
    assert service.open_watches(now=msk(2024, 11, 1, 17, 35)) == 1
    watch = post.watch
    assert watch.started_at == POST_AT
    assert watch.first_window_end == msk(2024, 11, 2, 11, 0)  # Saturday 09:00 + 2 h
    checks = list(watch.checks.order_by("number"))
    assert [c.due_at for c in checks] == [
        msk(2024, 11, 2, 13, 0),  # Saturday 11:00–13:00
        msk(2024, 11, 2, 15, 45),  # lunch skipped: 13:45–15:45
        msk(2024, 11, 5, 9, 45),  # 15:45–17:00 (75 min), Sunday and the 4th off, Tuesday 09:00–09:45
        msk(2024, 11, 5, 11, 45),
        msk(2024, 11, 5, 14, 30),  # 11:45–13:00 (75 min) + 13:45–14:30
        msk(2024, 11, 5, 16, 30),
        msk(2024, 11, 6, 9, 30),  # 16:30–18:00 (90 min) + Wednesday 09:00–09:30
        msk(2024, 11, 6, 11, 30),
    ]
    assert [c.grace_until for c in checks][:3] == [
        msk(2024, 11, 2, 15, 45),
        msk(2024, 11, 5, 9, 45),
        checks[3].due_at,
    ]
    assert checks[-1].grace_until == msk(2024, 11, 6, 14, 15)  # 11:30–13:00 (90) + 13:45–14:15
    assert {c.state for c in checks} == {Check.State.DUE}
    # A second pass opens nothing new.
    assert service.open_watches(now=msk(2024, 11, 1, 17, 40)) == 0


def test_questions_go_to_the_competent_body_with_deadlines_from_the_post_or_the_comment(p: Personas) -> None:
    """R-7.1, R-7.2: no curator step; first-window questions are due at the window's end, later ones 2 working
    hours after the comment; a thank-you is kept but is not work."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    early = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    thanks = comment(post, THANKS, msk(2024, 11, 1, 17, 45), author="102")
    late = comment(post, ROADS_QUESTION, msk(2024, 11, 2, 12, 10), author="103")
    assert service.process_comments(now=msk(2024, 11, 2, 12, 15)) == 3

    c_early = Comment.objects.get(message=early)
    assert (c_early.kind, c_early.body, c_early.in_first_window) == (Comment.Kind.QUESTION, p.health, True)
    case = c_early.case
    assert case is not None and case.origin == Case.Origin.GOVERNOR_POST
    assert case.dispatched_by == p.health_head  # the body itself, not the curator
    d = gov_deadline(case, "gov_answer")
    assert (d.rid, d.body, d.responsible, d.started_at) == ("R-7.2", p.health, p.alice, POST_AT)
    assert d.due_at == msk(2024, 11, 2, 11, 0)

    c_late = Comment.objects.get(message=late)
    assert (c_late.kind, c_late.body, c_late.in_first_window) == (Comment.Kind.QUESTION, p.roads, False)
    d = gov_deadline(c_late.case, "gov_answer")  # type: ignore[arg-type]
    assert (d.responsible, d.due_at) == (p.dave, msk(2024, 11, 2, 14, 55))  # 12:10–13:00 + 13:45–14:55

    c_thanks = Comment.objects.get(message=thanks)
    assert (c_thanks.kind, c_thanks.case) == (Comment.Kind.OTHER, None)
    assert service.process_comments(now=msk(2024, 11, 2, 12, 20)) == 0  # each comment once


def test_a_question_answered_late_is_a_violation_of_the_right_body_and_person(p: Personas) -> None:
    """R-7.2 → R-12: the sweep records the breach for the executor and the body; the late answer later does
    not record it twice; the figures sit in the same Violation rows as clause 8, tagged R-7.2."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=msg).case
    assert case is not None

    assert sla.sweep(now=msk(2024, 11, 2, 10, 59)).breached == 0
    assert sla.sweep(now=msk(2024, 11, 2, 11, 1)).breached == 1
    assert service.question_state(case, msk(2024, 11, 2, 11, 1)) == "overdue"
    assert violations(case) == [("R-7.2", "alice", "Здравоохранение")]

    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 11, 20))
    actions.confirm_publication(case, method=Publication.Method.MANUAL, url=answer_link(case, 9),
                                actor=p.alice, now=msk(2024, 11, 2, 11, 21))  # fmt: skip
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert service.question_state(case, msk(2024, 11, 2, 11, 30)) == "answered"
    assert Violation.objects.filter(case=case).count() == 1
    d = gov_deadline(case, "gov_answer")
    assert d.met_at == msk(2024, 11, 2, 11, 21) and d.state_label == "выполнен с нарушением"


def test_an_answer_in_time_is_no_violation(p: Personas) -> None:
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 10, 50))
    actions.confirm_publication(case, method="manual", url="https://vk.com/x", now=msk(2024, 11, 2, 10, 55))
    assert sla.sweep(now=msk(2024, 11, 5, 12, 0)).breached == 0
    assert violations(case) == []


def test_the_clarification_cycle_restarts_the_two_hour_clock_when_the_author_replies(p: Personas) -> None:
    """R-7.3: an interim answer asking for details stops the clock; the author's reply (Tuesday, after the
    holiday) opens a new 2-working-hour deadline from the reply; an answer after it is a violation."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 2, 12, 10), author="103")
    service.process_comments(now=msk(2024, 11, 2, 12, 15))
    case = Comment.objects.get(message=question).case
    assert case is not None

    actions.submit_answer(
        case, p.dave, "Уточните, пожалуйста, улицу и номер дома.", interim=True, now=msk(2024, 11, 2, 12, 30)
    )
    actions.confirm_publication(case, method="api", external_id="wall-1_r1", now=msk(2024, 11, 2, 12, 31))
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert service.question_state(case, msk(2024, 11, 2, 16, 0)) == "waiting"
    assert gov_deadline(case, "gov_answer").state_label == "выполнен в срок"
    # Nothing runs while the author is silent: the weekend and the holiday pass without a violation.
    assert sla.sweep(now=msk(2024, 11, 5, 9, 55)).breached == 0

    # Someone else's comment is not the author's details.
    comment(post, "А у нас во дворе тоже ямы", msk(2024, 11, 5, 9, 58), author="104")
    reply = comment(post, "Улица Соборная, дом 5.", msk(2024, 11, 5, 10, 0), author="103", reply_to=question)
    service.process_comments(now=msk(2024, 11, 5, 10, 5))
    assert Comment.objects.get(message=reply).kind == Comment.Kind.CLARIFICATION
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert service.question_state(case, msk(2024, 11, 5, 10, 5)) == "interim"
    d = gov_deadline(case, "gov_after_reply")
    assert (d.rid, d.started_at, d.due_at, d.responsible) == (
        "R-7.3",
        msk(2024, 11, 5, 10, 0),
        msk(2024, 11, 5, 12, 0),
        p.dave,
    )
    assert CaseEvent.objects.filter(case=case, action="gov_clarification").exists()

    assert sla.sweep(now=msk(2024, 11, 5, 12, 1)).breached == 1
    actions.submit_answer(
        case, p.dave, "Яму на Соборной, 5 заделают до 8 ноября.", now=msk(2024, 11, 5, 12, 10)
    )
    actions.confirm_publication(case, method="manual", url="https://vk.com/y", now=msk(2024, 11, 5, 12, 11))
    assert violations(case) == [("R-7.3", "dave", "Дороги")]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_checks_run_at_their_moments_and_a_skipped_one_is_recorded_as_missed(p: Personas) -> None:
    """R-7.4: a run between a check's moment and the next one does it; a moment nobody ran is missed."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    assert service.run_checks(now=msk(2024, 11, 2, 12, 0), fetch=False).done == 0  # nothing due yet
    comment(post, ROADS_QUESTION, msk(2024, 11, 2, 12, 50), author="103")
    report = service.run_checks(now=msk(2024, 11, 2, 13, 5), fetch=False)
    assert (report.done, report.missed, report.new_comments) == (1, 0, 1)
    # Nobody ran the 15:45 check before Tuesday 09:45: missed; the 09:45 one runs at 09:50.
    report = service.run_checks(now=msk(2024, 11, 5, 9, 50), fetch=False)
    assert (report.done, report.missed) == (1, 1)
    checks = list(post.watch.checks.order_by("number"))
    assert [(c.state, c.ran_at) for c in checks[:3]] == [
        (Check.State.DONE, msk(2024, 11, 2, 13, 5)),
        (Check.State.MISSED, None),
        (Check.State.DONE, msk(2024, 11, 5, 9, 50)),
    ]
    assert checks[0].new_comments == 1
    assert service.run_checks(now=msk(2024, 11, 5, 9, 55), fetch=False).done == 0  # once per moment
    # The periodic task does the same (the worker runs it every few minutes).
    result = governor_checks.call(now="2024-11-05T11:50:00+03:00", fetch=False)
    assert (result["done"], result["missed"]) == (1, 0)
    assert post.watch.checks.get(number=4).ran_at == msk(2024, 11, 5, 11, 50)


def test_a_body_takes_a_question_routed_elsewhere_and_hands_it_over_with_a_record(p: Personas) -> None:
    """R-7.1: taking and handing over keep the regulation's clock (same start) and are in the timeline."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    with pytest.raises(ActionRefused):
        actions.take_question(case, p.dave, p.health, now=msk(2024, 11, 2, 9, 5))  # dave is not in health
    actions.take_question(
        case, p.dave, p.roads, reason="это дорога к поликлинике", now=msk(2024, 11, 2, 9, 5)
    )
    d = Deadline.objects.get(case=case, stage="gov_answer", cancelled_at__isnull=True)
    assert (d.body, d.responsible, d.started_at, d.due_at) == (
        p.roads,
        p.dave,
        POST_AT,
        msk(2024, 11, 2, 11, 0),
    )
    with pytest.raises(ActionRefused, match="почему"):
        actions.hand_over(case, p.dave, p.health, now=msk(2024, 11, 2, 9, 10))
    actions.hand_over(case, p.dave, p.health, reason="вопрос о враче", now=msk(2024, 11, 2, 9, 10))
    d = Deadline.objects.get(case=case, stage="gov_answer", cancelled_at__isnull=True)
    assert (d.body, d.responsible) == (p.health, p.alice)
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "gov_open",
        "gov_take",
        "gov_handover",
    ]

    # A comment that is not a question can be taken too.
    thanks = comment(post, THANKS, msk(2024, 11, 2, 9, 20), author="102")
    service.process_comments(now=msk(2024, 11, 2, 9, 25))
    taken = service.take_comment(
        Comment.objects.get(message=thanks), p.dave, p.roads, now=msk(2024, 11, 2, 9, 30)
    )
    assert Deadline.objects.get(case=taken, stage="gov_answer").due_at == msk(2024, 11, 2, 11, 0)


def test_the_body_requires_approval_of_its_executors_answers(p: Personas) -> None:
    """R-7.1: the responsible official (not the curator) switches approval on and approves or returns."""
    with pytest.raises(ActionRefused):
        actions.set_require_approval(p.health, p.alice, True)
    with pytest.raises(ActionRefused):
        actions.set_require_approval(p.health, p.curator, True)
    actions.set_require_approval(p.health, p.health_head, True)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    actions.submit_answer(case, p.alice, "Черновик.", now=msk(2024, 11, 2, 9, 10))
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    with pytest.raises(ActionRefused):
        actions.approve_answer(case, p.curator, now=msk(2024, 11, 2, 9, 20))
    actions.return_answer(case, p.health_head, "Назовите дату.", now=msk(2024, 11, 2, 9, 20))
    actions.submit_answer(case, p.alice, "Приём с 11 ноября.", now=msk(2024, 11, 2, 9, 30))
    actions.approve_answer(case, p.health_head, now=msk(2024, 11, 2, 9, 40))
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Когда откроют поликлинику", True),
        ("Будет ли автобус до Кировска", True),
        ("Прошу разобраться с вывозом мусора", True),
        ("А врачей хватит?", True),
        ("Спасибо, отличная новость!", False),
        ("Молодцы", False),
        ("", False),
    ],
)
def test_question_detector(text: str, expected: bool) -> None:
    """R-7.2: «?», interrogative words, the particle «ли», requests."""
    assert detect(text).is_question is expected


def test_a_first_window_question_is_due_at_the_end_of_the_window_not_two_hours_after_the_comment(
    p: Personas,
) -> None:
    """R-7.2: "within two working hours of the post": a comment 1 h after a Tuesday 10:00 post is due at 12:00;
    one after the window (12:30) gets its own 2 working hours, across lunch, until 15:15."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 0))
    inside = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 11, 0))
    after = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 12, 30), author="103")
    service.process_comments(now=msk(2024, 11, 5, 12, 31))
    d_inside = gov_deadline(Comment.objects.get(message=inside).case, "gov_answer")  # type: ignore[arg-type]
    d_after = gov_deadline(Comment.objects.get(message=after).case, "gov_answer")  # type: ignore[arg-type]
    assert d_inside.due_at == msk(2024, 11, 5, 12, 0)
    assert d_after.due_at == msk(2024, 11, 5, 15, 15)  # 12:30–13:00 + 13:45–15:15


def test_the_clause_8_workflow_refuses_a_governor_post_question(p: Personas) -> None:
    """R-7.1: no curator step — the clause-8 transitions (curator review etc.) refuse these cases."""
    from otklik.cases import actions as case_actions

    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    with pytest.raises(ActionRefused, match="постом Губернатора"):
        case_actions.submit_draft(p.alice, case, "answer", "Текст", now=msk(2024, 11, 2, 9, 0))
    with pytest.raises(ActionRefused, match="постом Губернатора"):
        case_actions.close_case(p.curator, case, "нет", now=msk(2024, 11, 2, 9, 0))


def test_r7_2_a_first_window_question_reaches_its_body_before_the_first_check(p: Personas) -> None:
    """Post on Friday 17:30; the first check is only at Saturday 13:00, after the first window (11:00). The
    periodic run at Saturday 09:05 already gives the 17:40 question to its body, due at 11:00; a body's own
    comment under the post is kept but is nobody's work."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    ours = comment(post, "Здравствуйте! Сообщите, пожалуйста, адрес?", msk(2024, 11, 1, 17, 50), author="-1")
    Message.objects.filter(pk=ours.pk).update(is_official=True)
    report = service.run_checks(now=msk(2024, 11, 2, 9, 5), fetch=False)
    assert report.done == 0 and report.new_comments == 2
    c = Comment.objects.get(message=question)
    assert c.case is not None and gov_deadline(c.case, "gov_answer").due_at == msk(2024, 11, 2, 11, 0)
    official = Comment.objects.get(message=ours)
    assert (official.kind, official.case, official.reason) == (
        Comment.Kind.OTHER,
        None,
        "официальный аккаунт",
    )
