"""R-6 with R-7.1, R-7.2, R-12: a body whose answers to questions under the Governor's posts need its head's
approval, while that head is away. The answer waiting for approval is now told at once to the one doing the head's
work — the substitute named on his absence, else another responsible official of the body at work — who approves
or returns it; the term's reminder and, when it runs out, the breach reach that person and the violation is his,
not the executor's who had sent the answer. Nobody else (another executor, a curator) approves.

Found by a review (session 20)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.governor import actions, service
from otklik.governor.models import Comment, Watch
from otklik.org.duty import on_duty
from otklik.org.models import Absence, Person, Role
from otklik.org.services import save_absence
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    ROADS_QUESTION,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 5, 10, 0)  # Tuesday; the first window ends at 12:00


@pytest.fixture
def p(personas: Personas) -> Personas:
    """The personas, roads competent for the road question (as tests/governor/conftest.py has it)."""
    competence(personas.roads, *ROADS_TOPIC)
    return personas


def head_on_leave(p: Personas) -> Person:
    """Roads requires its head's approval; Романов is on leave for the week from 09:00 on Tuesday, his deputy
    Зайцев (an executor of roads) named as his substitute, whom this returns."""
    actions.set_require_approval(p.roads, p.roads_head, True)
    deputy = make_person("zaitsev", p.roads, Role.Kind.EXECUTOR, last_name="Зайцев")
    save_absence(
        Absence(
            person=p.roads_head,
            reason=Absence.Reason.VACATION,
            starts_at=msk(2024, 11, 5, 9, 0),
            ends_at=msk(2024, 11, 11, 18, 0),
            substitute=deputy,
        )
    )
    return deputy


def roads_question() -> Case:
    """A road question under the Governor's post of 10:00, written at 10:10 and triaged at 10:15: its case."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 10), author="103")
    service.process_comments(now=msk(2024, 11, 5, 10, 15))
    case = Comment.objects.get(message=question).case
    assert case is not None
    return case


def test_an_answer_waiting_for_approval_reaches_the_substitute_of_the_head_on_leave(p: Personas) -> None:
    """R-6, R-7.1, R-7.2: roads requires its head's approval (Романов switched it on). Романов goes on leave for
    the week, his deputy Зайцев (an executor of roads) named as his substitute — the absence form takes him. A
    question under the Governor's post goes to roads; Давыдов writes the answer at 10:20. The notice «ждёт
    согласования» goes to Зайцев, saying whose work it is, and Зайцев approves it; Давыдов, the author and an
    executor, cannot approve it (before the fix only Романов, on leave, was told, and Зайцев was refused
    «Согласует ответственный органа»)."""
    deputy = head_on_leave(p)
    case = roads_question()
    assert case is not None and [a.body for a in actions.parts_of(case)] == [p.roads]

    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW

    told = set(
        Notification.objects.filter(case=case, text__contains="ждёт согласования").values_list(
            "recipient__username", flat=True
        )
    )
    notice = Notification.objects.get(case=case, recipient=deputy, text__contains="ждёт согласования")
    assert "Романов" in notice.text and "замещающий" in notice.text, notice.text
    with pytest.raises(ActionRefused, match="Согласует ответственный органа"):
        actions.approve_answer(case, p.dave, now=msk(2024, 11, 5, 10, 30))
    with pytest.raises(ActionRefused, match="Согласует ответственный органа"):
        actions.approve_answer(case, p.curator, now=msk(2024, 11, 5, 10, 30))
    refused = ""
    try:
        actions.approve_answer(case, deputy, now=msk(2024, 11, 5, 10, 40))
    except ActionRefused as exc:
        refused = str(exc)
    assert ("zaitsev" in told, refused) == (True, ""), (
        f"the answer waiting for approval was told only to {sorted(told)} (Романов is on leave), and his "
        f"substitute's approval is refused: «{refused}»"
    )
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING


def test_while_the_head_is_on_leave_the_sweep_tells_his_substitute_the_answer_waits_for_approval(
    p: Personas,
) -> None:
    """R-6, R-7.2, R-12: the same question, the answer left waiting: the sweep's reminder at 11:05 and, after 12:00,
    the breach notice reach Зайцев, who does Романов's work, and the violation is his — not Давыдов's, who sent his
    answer at 10:20 and could do nothing more (before the fix the notices went to the curator, Давыдов and
    Романов on leave, and the violation was charged to Давыдов)."""
    head_on_leave(p)
    case = roads_question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    assert sla.sweep(now=msk(2024, 11, 5, 11, 5)).reminders == 1
    reminded = set(
        Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"zaitsev"}, reminded
    assert sla.sweep(now=msk(2024, 11, 5, 12, 5)).breached == 1
    told = set(Notification.objects.filter(case=case).values_list("recipient__username", flat=True))
    breach = set(
        Notification.objects.filter(case=case, kind=Notification.Kind.BREACH).values_list(
            "recipient__username", flat=True
        )
    )
    charged = [(v.rid, v.person.username if v.person else "") for v in Violation.objects.filter(case=case)]
    assert "zaitsev" in told, (
        f"told about the question: {sorted(told)}; the head's substitute never; the violation {charged} is charged "
        "to Давыдов, whose answer had waited for approval since 10:20"
    )
    assert "zaitsev" in breach, breach
    assert charged == [("R-7.2", "zaitsev")], charged


def test_an_approved_answer_is_the_executors_to_publish_again(p: Personas) -> None:
    """R-7.1, R-7.2: while the answer waits, the part's term is Романов's, and Зайцев does his work while he is on
    leave (`on_duty`, as the sweep asks it); once Зайцев approves (or returns) the answer, the term is Давыдов's
    again: he publishes (or revises) it, and a breach after that is his. (Until session 20b the term was handed to
    Зайцев himself, and stayed his after Романов came back: the review found it, tests/governor/
    test_approval_term_s20b.py; the term now names the head.)"""
    deputy = head_on_leave(p)
    case = roads_question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют.", now=msk(2024, 11, 5, 10, 20))
    term = Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_ANSWER)
    assert term.responsible == p.roads_head
    assert on_duty(p.roads_head, msk(2024, 11, 5, 10, 25), body_id=p.roads.pk).person == deputy
    actions.return_answer(case, deputy, "Укажите месяц.", now=msk(2024, 11, 5, 10, 30))
    term.refresh_from_db()
    assert term.responsible == p.dave
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 40))
    actions.approve_answer(case, deputy, now=msk(2024, 11, 5, 10, 50))
    term.refresh_from_db()
    assert (term.responsible, term.met_at) == (p.dave, None)
    sla.sweep(now=msk(2024, 11, 5, 12, 5))
    charged = [(v.rid, v.person.username if v.person else "") for v in Violation.objects.filter(case=case)]
    assert charged == [("R-7.2", "dave")], charged


def test_without_a_substitute_another_responsible_official_at_work_approves(p: Personas) -> None:
    """R-6, R-7.1: Романов is on leave with no substitute named; roads has a second responsible official, Петров,
    at work: he is told and approves. Зайцев, an executor of roads named nowhere, is refused, and so is Романов's
    fallback of `on_duty` (an executor present): an executor is no approver."""
    actions.set_require_approval(p.roads, p.roads_head, True)
    other_head = make_person("petrov", p.roads, Role.Kind.RESPONSIBLE, last_name="Петров")
    deputy = make_person("zaitsev", p.roads, Role.Kind.EXECUTOR, last_name="Зайцев")
    save_absence(
        Absence(
            person=p.roads_head,
            reason=Absence.Reason.VACATION,
            starts_at=msk(2024, 11, 5, 9, 0),
            ends_at=msk(2024, 11, 11, 18, 0),
        )
    )
    case = roads_question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    told = set(
        Notification.objects.filter(case=case, text__contains="ждёт согласования").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"petrov"}, told
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_ANSWER).responsible == other_head
    with pytest.raises(ActionRefused, match="Согласует ответственный органа"):
        actions.approve_answer(case, deputy, now=msk(2024, 11, 5, 10, 30))
    actions.approve_answer(case, other_head, now=msk(2024, 11, 5, 10, 40))
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING


def test_the_substitutes_desktop_counts_the_answers_waiting_for_his_approval(p: Personas) -> None:
    """R-6, R-7.1: while Романов is away (now) with Зайцев named, Зайцев's home page counts the answer waiting
    for approval, as Романов's does; another executor of roads has no such figure."""
    actions.set_require_approval(p.roads, p.roads_head, True)
    deputy = make_person("zaitsev", p.roads, Role.Kind.EXECUTOR, last_name="Зайцев")
    case = roads_question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    now = timezone.now()
    save_absence(
        Absence(
            person=p.roads_head,
            reason=Absence.Reason.BUSINESS_TRIP,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
            substitute=deputy,
        )
    )

    def figure(username: str) -> str | None:
        client = Client()
        client.force_login(Person.objects.get(username=username))
        found = re.search(
            r'<a [^>]*data-testid="governor-approval"[^>]*>.*?</a>', client.get("/").content.decode(), re.S
        )
        return " ".join(re.sub(r"<[^>]+>", " ", found[0]).split()) if found else None

    said = figure("zaitsev")
    assert said is not None and "1" in said.split() and "на вашем согласовании" in said, said
    assert figure("dave") is None


def test_the_substitute_finds_the_approve_button_on_the_post_page(p: Personas) -> None:
    """R-6, R-7.1: on the Governor's post page the answer waiting for approval shows «Согласовать и опубликовать»
    to Зайцев while he does the absent Романов's work (the action takes his approval), and not to Давыдов, the
    executor who wrote it."""
    actions.set_require_approval(p.roads, p.roads_head, True)
    deputy = make_person("zaitsev", p.roads, Role.Kind.EXECUTOR, last_name="Зайцев")
    case = roads_question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    now = timezone.now()
    save_absence(
        Absence(
            person=p.roads_head,
            reason=Absence.Reason.BUSINESS_TRIP,
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
            substitute=deputy,
        )
    )
    url = f"/governor/posts/{Watch.objects.get().pk}/"

    def page(username: str) -> str:
        client = Client()
        client.force_login(Person.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    assert 'value="approve">Согласовать и опубликовать' in page("zaitsev")
    assert 'value="approve">Согласовать и опубликовать' not in page("dave")
