# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""The Governor's post page reads each question's bodies, answers, terms, publications and the author's details
for the whole page at once: a popular post has some 200 comments and the bodies keep its page open, so an executor
or a curator gets the page as quickly with 30 questions as with 3, and sees on it what they saw before: every
question's state, each body's part with its term, answers and publication links, what an earlier body wrote and
the author's details (R-7.1 … R-7.4). Found by a review (session 18).

With ``POST_PAGE_SNAPSHOT=<dir>`` in the environment the content test writes the pages it renders there (the
first run) or compares them with what is there (a later run of the same tests), csrf tokens aside: a check that a change to how
the page reads the database shows the same page."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otklik.cases.models import Case
from otklik.governor import actions, service, views
from otklik.governor.models import Comment
from otklik.intake.models import Message, Post
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import (
    HEALTH_QUESTION,
    ROADS_QUESTION,
    THANKS,
    client_for,
    comment,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

AT = msk(2024, 11, 5, 10, 0)  # a Tuesday, a working day


def _case_of(message: Message) -> Case:
    case = Comment.objects.get(message=message).case
    assert case is not None
    return case


def _page(client_user: str, post: Post) -> tuple[str, int]:
    """The post page as `client_user` sees it, and how many queries it took."""
    client = client_for(client_user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/governor/posts/{post.watch.pk}/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _post_with(n: int, p: Personas) -> Post:
    """A post with `n` health questions, every third of them answered by alice and published."""
    post = governor_post(governor_source(), AT)
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    questions = [
        comment(post, f"{HEALTH_QUESTION} Дом {i}.", msk(2024, 11, 5, 10, 2 + i), author=str(300 + i))
        for i in range(n)
    ]
    service.process_comments(now=msk(2024, 11, 5, 10, 40))
    for i, q in enumerate(questions[::3]):
        case = _case_of(q)
        actions.submit_answer(case, p.alice, f"Ответ {i}.", now=msk(2024, 11, 5, 10, 50))
        actions.confirm_publication(
            case, method="manual", url=f"{post.url}?reply={900 + i}", now=msk(2024, 11, 5, 10, 55)
        )
    return post


@pytest.mark.parametrize("username", ["alice", "curator"])
def test_the_post_page_takes_about_as_many_queries_with_30_questions_as_with_3(
    p: Personas, username: str
) -> None:
    _, few = _page(username, _post_with(3, p))
    _, many = _page(username, _post_with(30, p))
    assert many <= few + 10, f"{username}: 3 questions — {few} queries, 30 questions — {many}"


def _mixed_post(p: Personas) -> tuple[Post, list[Case]]:
    """A post with a question in each state the page tells apart: answered, given details after an interim
    answer, on approval, returned, handed over after a returned answer, answered by two bodies (one of them late),
    waiting for the author, needing no answer; a thanks and a question for another body."""
    post = governor_post(governor_source(), AT)
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    texts = [f"{HEALTH_QUESTION} Вопрос {i}." for i in range(8)]
    msgs = [comment(post, t, msk(2024, 11, 5, 10, 5 + i), author=str(400 + i)) for i, t in enumerate(texts)]
    comment(post, THANKS, msk(2024, 11, 5, 10, 15), author="499")
    comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 16), author="498")
    service.process_comments(now=msk(2024, 11, 5, 10, 20))
    answered, interim, review, returned, handed, two, waiting, ended = (_case_of(m) for m in msgs)

    def t(minute: int) -> datetime:
        return msk(2024, 11, 5, 10, 30 + minute)

    actions.submit_answer(answered, p.alice, "Терапевт начнёт приём 11 ноября.", now=t(0))
    actions.confirm_publication(answered, method="manual", url=f"{post.url}?reply=901", now=t(1))
    actions.submit_answer(interim, p.alice, "Уточните, пожалуйста, адрес.", interim=True, now=t(2))
    actions.confirm_publication(interim, method="manual", url=f"{post.url}?reply=902", now=t(3))
    reply = comment(post, "Гатчина, ул. Соборная, 5.", t(4), author="401", reply_to=msgs[1])
    service.process_comments(now=t(5))
    assert Comment.objects.get(message=reply).kind == Comment.Kind.CLARIFICATION
    actions.join_question(two, p.dave, p.roads, reason="дорога к поликлинике", now=t(6))
    actions.submit_answer(two, p.dave, "Дорогу к поликлинике отремонтируют летом.", now=t(7))
    actions.confirm_publication(two, method="manual", url=f"{post.url}?reply=903", actor=p.dave, now=t(8))
    actions.submit_answer(waiting, p.charlie, "В каком доме вы живёте?", interim=True, now=t(8))
    actions.confirm_publication(waiting, method="manual", url=f"{post.url}?reply=904", now=t(8))
    actions.end_question(ended, p.curator, "повтор комментария", now=t(8))
    actions.set_require_approval(p.health, p.health_head, True)
    actions.submit_answer(review, p.alice, "Запись откроется в понедельник.", now=t(9))
    actions.submit_answer(returned, p.alice, "Не знаем.", now=t(10))
    actions.return_answer(returned, p.health_head, "Уточните сроки.", now=t(11))
    actions.submit_answer(handed, p.bob, "Это не к нам.", now=t(12))
    actions.return_answer(handed, p.health_head, "Передайте в дороги.", now=t(13))
    actions.hand_over(handed, p.bob, p.roads, reason="вопрос о дороге", now=t(14))
    return post, [answered, interim, review, returned, handed, two, waiting, ended]


def _normalized(html: str) -> str:
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", html)  # the form's and the htmx headers' csrf tokens


VIEWERS = ["alice", "curator", "health_head", "dave", "roads_head", "observer"]


def test_the_post_page_shows_every_state_of_its_questions(p: Personas) -> None:
    post, cases = _mixed_post(p)
    pages = {who: _page(who, post)[0] for who in VIEWERS}
    curator = pages["curator"]
    states = re.findall(r'data-testid="question" data-state="([a-z_]+)"', curator)
    parts = re.findall(r'data-testid="part" data-body="(\d+)" data-state="([a-z_]+)"', curator)
    # the real clock is long past these 2024 terms: every part still running is late
    late = ["overdue"] * 5
    assert states == ["answered", *late, "waiting", "not_needed", "overdue"], states
    h, r = str(p.health.pk), str(p.roads.pk)
    assert parts == [
        (h, "answered"),
        *[(h, "overdue")] * 3,
        (r, "overdue"),  # handed over from health
        (h, "overdue"),  # two bodies: health late, roads answered
        (r, "answered"),
        (h, "waiting"),
        (h, "not_needed"),
        (r, "overdue"),
    ], parts
    for text in (
        "Терапевт начнёт приём 11 ноября.",
        "Гатчина, ул. Соборная, 5.",  # the author's details, under their question
        "В каком доме вы живёте?",
        "повтор комментария",
        "Уточните, пожалуйста, адрес.",
        "Запись откроется в понедельник.",
        "Не знаем.",
        "Это не к нам.",  # the earlier body's answer, to the office
        "прежний орган",
        "Дорогу к поликлинике отремонтируют летом.",
        f"{post.url}?reply=903",
    ):
        assert text in curator, text
    # a body's unpublished wording stays its own and the office's
    assert "Запись откроется в понедельник." in pages["alice"]
    assert "Запись откроется в понедельник." not in pages["dave"]
    assert "Согласовать и опубликовать" in pages["health_head"]
    assert "Согласовать и опубликовать" not in pages["alice"]

    # what the page reads prefetched is what the service reads from the database, question by question, body by body
    now = timezone.now()
    ids = [c.pk for c in cases]
    plain = list(Case.objects.filter(pk__in=ids).order_by("pk"))
    known = list(Case.objects.filter(pk__in=ids).order_by("pk").prefetch_related(*views.QUESTION_PREFETCH))
    with CaptureQueriesContext(connection) as ctx:
        seen = [
            (
                service.question_state(case, now),
                [
                    (a.pk, actions.part_phase(a), service.part_state(case, a, now))
                    for a in actions.parts_of(case)
                ],
            )
            for case in known
        ]
    assert ctx.captured_queries == []
    assert seen == [
        (
            service.question_state(case, now),
            [(a.pk, actions.part_phase(a), service.part_state(case, a, now)) for a in actions.parts_of(case)],
        )
        for case in plain
    ]

    snapshot = os.environ.get("POST_PAGE_SNAPSHOT")
    if snapshot:
        folder = Path(snapshot)
        folder.mkdir(parents=True, exist_ok=True)
        for who, html in pages.items():
            path = folder / f"{who}.html"
            if path.exists():
                assert _normalized(html) == _normalized(path.read_text()), f"{who}: the page changed"
            else:
                path.write_text(html)
