"""Several bodies on one comment under a Governor's post (R-7.1, R-7.2, R-7.3, R-12, R-13).

A citizen asks two things in one comment (a road and a clinic): each competent body answers its own part under
the comment, with its own deadline from the same start, its own approval setting, and the question is closed
only when every body has answered. The clock is the one of tests/governor/test_scenarios.py: the post comes
out on Friday 01.11.2024 at 17:30 after working hours, the first window ends Saturday 02.11.2024 at 11:00.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Assignment, Case, Deadline, Violation
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.org.models import Body, Role
from otklik.reports import deficiencies, monthly, periods
from tests.cases.helpers import violations
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    HEALTH_TOPIC,
    ROADS_QUESTION,
    ROADS_TOPIC,
    answer_link,
    comment,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 1, 17, 30)
BOTH = "Когда отремонтируют дорогу к поликлинике в Гатчине и когда там появится терапевт?"


def roads_question(p: Personas, text: str = ROADS_QUESTION, at: object = None) -> tuple[Case, Comment]:
    """A first-window question routed by the analysis to roads only."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, text, at or msk(2024, 11, 1, 17, 40))  # type: ignore[arg-type]
    service.process_comments(now=msk(2024, 11, 2, 9, 0))
    c = Comment.objects.get(message=msg)
    assert c.case is not None
    assert [a.body for a in actions.parts_of(c.case)] == [p.roads]
    return c.case, c


def open_deadline_of(case: Case, body: Body) -> Deadline:
    return Deadline.objects.get(case=case, body=body, met_at__isnull=True, cancelled_at__isnull=True)


def test_a_second_body_joins_answers_its_part_with_its_own_approval_and_the_question_closes_last(
    p: Personas,
) -> None:
    """R-7.2: each competent body answers its part; its `gov_answer` deadline counts from the same start as
    the first body's (the post, first window); R-7.1: health's approval applies to health's answer only."""
    case, _ = roads_question(p)
    actions.set_require_approval(p.health, p.health_head, True)
    a = actions.join_question(case, p.alice, p.health, reason="про терапевта", now=msk(2024, 11, 2, 9, 30))

    assert (a.body, a.executor) == (p.health, p.alice)
    roads_d, health_d = open_deadline_of(case, p.roads), open_deadline_of(case, p.health)
    assert health_d.started_at == roads_d.started_at == POST_AT
    assert health_d.due_at == roads_d.due_at == msk(2024, 11, 2, 11, 0)
    assert (health_d.stage, health_d.responsible, health_d.assignment) == ("gov_answer", p.alice, a)
    with pytest.raises(ActionRefused, match="уже отвечает"):
        actions.join_question(case, p.bob, p.health, now=msk(2024, 11, 2, 9, 31))

    # Both bodies have the question in their work lists.
    for person in (p.alice, p.dave):
        client = Client()
        client.force_login(person)
        page = client.get(reverse("cases:my_queue")).content.decode()
        assert f"№ {case.pk}" in page or f"/cases/{case.pk}/" in page

    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября.", now=msk(2024, 11, 2, 9, 40))
    case.refresh_from_db()
    assert service.part_state(case, a, msk(2024, 11, 2, 9, 41)) == "review"
    assert case.status == Case.Status.DRAFTING  # roads is still drafting its part

    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 2, 9, 50))
    actions.confirm_publication(
        case,
        method="manual",
        url=answer_link(case, 7),
        actor=p.dave,
        now=msk(2024, 11, 2, 9, 55),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW  # only health's answer is left, waiting for its head
    assert service.question_state(case, msk(2024, 11, 2, 9, 56)) == "partly"
    assert open_deadline_of(case, p.health).pk == health_d.pk
    assert Deadline.objects.get(pk=roads_d.pk).met_at == msk(2024, 11, 2, 9, 55)

    with pytest.raises(ActionRefused, match="Согласует ответственный органа"):
        actions.approve_answer(case, p.roads_head, now=msk(2024, 11, 2, 10, 0), body=p.health)
    actions.approve_answer(case, p.health_head, now=msk(2024, 11, 2, 10, 0))
    actions.confirm_publication(
        case,
        method="manual",
        url=answer_link(case, 8),
        actor=p.alice,
        now=msk(2024, 11, 2, 10, 5),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert service.question_state(case, msk(2024, 11, 2, 10, 6)) == "answered"
    assert [pub.url for pub in case.publications.order_by("id")] == [
        answer_link(case, 7),
        answer_link(case, 8),
    ]
    assert set(case.assignments.values_list("state", flat=True)) == {Assignment.State.DONE}
    assert Violation.objects.filter(case=case).count() == 0


def test_late_joined_body_violation_is_attributed_to_it_in_the_reports(p: Personas) -> None:
    """R-7.2 → R-12, R-13: roads answers in time, health joined and answers late: the violation, the late
    deadline and the case count are health's, and roads has none."""
    case, _ = roads_question(p)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 2, 10, 0))
    actions.confirm_publication(case, method="api", external_id="wall-1_r1", now=msk(2024, 11, 2, 10, 1))
    assert sla.sweep(now=msk(2024, 11, 2, 11, 1)).breached == 1
    assert violations(case) == [("R-7.2", "alice", "Здравоохранение")]

    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября.", now=msk(2024, 11, 2, 11, 30))
    actions.confirm_publication(case, method="api", external_id="wall-1_r2", now=msk(2024, 11, 2, 11, 31))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert Violation.objects.filter(case=case).count() == 1

    november = periods.month(2024, 11)
    data = deficiencies.build(november)
    assert [(g["body"], g["violations"]) for g in data["by_body"]] == [("Здравоохранение", 1)]
    assert [(g["person"], g["cases"]) for g in data["by_person"]] == [("Алексеева Тест", [case.pk])]
    rows = {r["body"]: r for r in monthly.build(november)["timeliness"]["rows"]}
    assert rows["Здравоохранение"]["cases"] == 1 and rows["Дороги"]["cases"] == 1
    assert rows["Здравоохранение"]["violations"] == 1 and rows["Дороги"]["violations"] == 0


def test_a_joined_body_hands_over_its_part_only_and_nobody_takes_the_whole_question(p: Personas) -> None:
    """R-7.1: hand_over moves the acting body's part (same start, the new body's time); the other body keeps its
    part and deadline; a third body cannot take the question from two answering bodies, it joins instead."""
    education = Body.objects.create(
        name="Комитет общего и профессионального образования", short_name="Образование"
    )
    teacher = make_person("teacher", education, Role.Kind.EXECUTOR, last_name="Учителева")
    case, _ = roads_question(p)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))
    roads_d = open_deadline_of(case, p.roads)

    with pytest.raises(ActionRefused, match="несколько органов"):
        actions.take_question(case, teacher, education, now=msk(2024, 11, 2, 9, 35))
    with pytest.raises(ActionRefused, match="уже отвечает"):
        actions.hand_over(case, p.alice, p.roads, reason="дорога", now=msk(2024, 11, 2, 9, 40))
    new = actions.hand_over(case, p.alice, education, reason="вопрос о школе", now=msk(2024, 11, 2, 9, 40))

    parts = {a.body: a.state for a in case.assignments.all()}
    assert parts == {
        p.roads: Assignment.State.ACTIVE,
        p.health: Assignment.State.REPLACED,
        education: Assignment.State.ACTIVE,
    }
    assert open_deadline_of(case, p.roads).pk == roads_d.pk  # roads' part untouched
    edu_d = open_deadline_of(case, education)
    assert (edu_d.started_at, edu_d.responsible, edu_d.assignment) == (POST_AT, teacher, new)
    assert not Deadline.objects.filter(
        case=case, body=p.health, met_at__isnull=True, cancelled_at__isnull=True
    ).exists()
    with pytest.raises(ActionRefused, match="Отвечает сотрудник органа"):
        actions.submit_answer(case, p.alice, "Терапевт будет.", now=msk(2024, 11, 2, 9, 45))
    # Dave's roads answer is his part only; the education part keeps the question open.
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 2, 9, 50))
    actions.confirm_publication(case, method="api", external_id="r1", now=msk(2024, 11, 2, 9, 51))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING


def test_a_single_body_question_is_still_taken_over_whole(p: Personas) -> None:
    """R-7.1: with one body take_question replaces it, as before joining existed."""
    case, _ = roads_question(p)
    actions.take_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 5))
    assert [a.body for a in actions.parts_of(case)] == [p.health]


def test_clarification_reaches_the_body_waiting_for_it_while_the_other_body_still_drafts(p: Personas) -> None:
    """R-7.3: roads asked the author for details (interim answer); health, joined, still drafts. The author's
    reply restarts roads' clock (2 working hours from the reply), not health's."""
    case, c = roads_question(p)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))
    actions.submit_answer(case, p.dave, "Уточните, какая улица?", interim=True, now=msk(2024, 11, 2, 9, 40))
    actions.confirm_publication(case, method="api", external_id="r1", now=msk(2024, 11, 2, 9, 41))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING  # health still drafts
    reply = comment(c.watch.post, "Улица Соборная, у дома 5.", msk(2024, 11, 2, 10, 0), reply_to=c.message)
    service.process_comments(now=msk(2024, 11, 2, 10, 5))

    rc = Comment.objects.get(message=reply)
    assert (rc.kind, rc.case_id) == (Comment.Kind.CLARIFICATION, case.pk)
    after = Deadline.objects.get(case=case, stage="gov_after_reply")
    assert (after.body, after.started_at, after.due_at) == (
        p.roads,
        msk(2024, 11, 2, 10, 0),
        msk(2024, 11, 2, 12, 0),
    )
    assert open_deadline_of(case, p.health).stage == "gov_answer"


def _suggest(message: object, rows: list[tuple[Body, str]]) -> None:
    """The analysis' body routing as `analysis.pipeline` stores it (most probable first)."""
    Suggestion.objects.create(
        message=message,
        kind=Kind.BODY,
        value={
            "bodies": [
                {"body_id": b.pk, "body": str(b), "topic": t, "municipal": False, "confidence": 0.6}
                for b, t in rows
            ]
        },
        confidence=0.6,
        model_version="test",
    )


def test_triage_opens_the_question_for_every_body_the_analysis_routes_its_topics_to(p: Personas) -> None:
    """R-7.1, R-7.2: a comment the analysis routes by two topics (a road and a clinic) goes to both bodies at
    once, each with its deadline from the comment (after the first window); a second body that merely shares
    the same topic is not added."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    two = comment(post, BOTH, msk(2024, 11, 2, 12, 10))
    one = comment(post, ROADS_QUESTION, msk(2024, 11, 2, 12, 10), author="102")
    _suggest(two, [(p.roads, ROADS_TOPIC[1]), (p.health, HEALTH_TOPIC[1])])
    _suggest(one, [(p.roads, ROADS_TOPIC[1]), (p.health, ROADS_TOPIC[1])])
    service.process_comments(now=msk(2024, 11, 2, 12, 15))

    case = Comment.objects.get(message=two).case
    assert case is not None
    deadlines = Deadline.objects.filter(case=case, stage="gov_answer").order_by("id")
    assert [(d.body, d.responsible, d.started_at, d.due_at) for d in deadlines] == [
        (p.roads, p.dave, msk(2024, 11, 2, 12, 10), msk(2024, 11, 2, 14, 55)),
        (p.health, p.alice, msk(2024, 11, 2, 12, 10), msk(2024, 11, 2, 14, 55)),
    ]
    single = Comment.objects.get(message=one).case
    assert single is not None and [a.body for a in actions.parts_of(single)] == [p.roads]


def test_post_page_join_and_each_body_answers_without_the_other_making_its_form_stale(p: Personas) -> None:
    """R-7.2 on the post page: dave (roads) sees health's part and its own; alice joins through the form; dave's
    answer in between does not make alice's open form stale."""
    case, c = roads_question(p)
    alice, dave = Client(), Client()
    alice.force_login(p.alice)
    dave.force_login(p.dave)
    url = reverse("governor:post", args=[c.watch_id])
    page = alice.get(url).content.decode()
    assert "Присоединиться: наш орган тоже отвечает" in page

    r = alice.post(reverse("governor:join", args=[case.pk]), {"body": p.health.pk}, follow=True)
    assert "тоже отвечает на вопрос" in r.content.decode()
    r = alice.post(reverse("governor:join", args=[case.pk]), {"body": p.health.pk}, follow=True)
    assert "уже отвечает на этот вопрос" in r.content.decode()
    page = alice.get(url).content.decode()
    assert page.count('data-testid="part"') == 2
    assert "Присоединиться: наш орган тоже отвечает" not in page
    case.refresh_from_db()
    alice_form = {
        "text": "Терапевт принимает с 11 ноября.",
        "version": case.version,
        "seen": 0,
        "part": p.health.pk,
    }

    r = dave.post(
        reverse("governor:answer", args=[case.pk]),
        {"text": "Дорогу отремонтируют в мае.", "version": case.version, "seen": 0, "part": p.roads.pk},
        follow=True,
    )
    assert r.status_code == 200
    r = alice.post(reverse("governor:answer", args=[case.pk]), alice_form, follow=True)
    assert "устарел" not in r.content.decode() and "изменил другой" not in r.content.decode()
    drafts = {d.assignment.body: d.text for d in case.drafts.select_related("assignment__body")}
    assert drafts == {p.roads: "Дорогу отремонтируют в мае.", p.health: "Терапевт принимает с 11 ноября."}
    # The same old form sent again is stale for health's part.
    r = alice.post(reverse("governor:answer", args=[case.pk]), alice_form, follow=True)
    assert case.drafts.count() == 2


def test_r7_2_a_body_joining_after_the_questions_term_ran_out_gets_its_own_two_hours(p: Personas) -> None:
    """R-7.2: roads let the question's 2 working hours run out (its violation). Health joins days later: its
    part is not late before it began — its 2 working hours count from joining, and an answer within them is no
    violation of health's; roads' violation stays roads'."""
    case, _ = roads_question(p)
    joined_at = msk(2024, 11, 6, 10, 0)  # days after the question's term (Monday 4 November was a holiday)
    assert sla.sweep(now=joined_at).breached == 1
    assert violations(case) == [("R-7.2", "dave", "Дороги")]

    actions.join_question(case, p.alice, p.health, now=joined_at)
    health = open_deadline_of(case, p.health)
    assert health.started_at == joined_at and health.due_at == msk(2024, 11, 6, 12, 0)
    assert sla.sweep(now=msk(2024, 11, 6, 10, 1)).breached == 0
    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября.", now=msk(2024, 11, 6, 11, 30))
    actions.confirm_publication(case, method="api", external_id="wall-1_r9", now=msk(2024, 11, 6, 11, 31))
    assert sla.sweep(now=msk(2024, 11, 6, 13, 0)).breached == 0
    assert violations(case) == [("R-7.2", "dave", "Дороги")]
