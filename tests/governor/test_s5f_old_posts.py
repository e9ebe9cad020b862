"""The Governor's posts Otklik did not see from their start, and comments edited after their triage (R-7.2 … R-7.4,
R-12).

The Governor's VK community is registered as a source on the fake VK server: `wall.get` returns its old posts
too, a pinned one from 2012 (before the production calendar's first year) among them. Deadlines and checks never
start before Otklik could see the post. Tuesday 05.11.2024: working hours 09:00–18:00, lunch 13:00–13:45; a post
at 10:00 has its first window until 12:00 and its checks at 14:45, 16:45, Wednesday 09:45 … Times were counted
by hand.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from otklik.cases import sla
from otklik.cases.models import Case, Deadline, Violation
from otklik.governor import service
from otklik.governor.models import Check, Comment, Watch
from otklik.intake.models import Message, Post, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.governor.helpers import HEALTH_QUESTION, ROADS_QUESTION, THANKS, client_for, governor_vk

pytestmark = pytest.mark.django_db

OWNER = -200000001


def community(fake: FakeVK) -> Source:
    """The Governor's community with none of the fixture's posts: each test puts its own on the wall. Every run
    reads the comments again (an edit does not change their count)."""
    fake.posts.clear()
    fake.comments.clear()
    source = governor_vk(fake)
    source.config["recheck_minutes"] = 0
    source.save()
    return source


def wall_post(fake: FakeVK, post_id: int, at: datetime, text: str, **extra: Any) -> None:
    fake.posts.append(
        {
            "id": post_id,
            "owner_id": OWNER,
            "from_id": OWNER,
            "date": int(at.timestamp()),
            "text": text,
            "comments": {"count": 0, "can_post": 1},
            **extra,
        }
    )


def vk_comment(fake: FakeVK, post_id: int, text: str, at: datetime, from_id: int = 3333333) -> int:
    cid = fake.add_comment(post_id, text, from_id=from_id)
    next(c for c in fake.comments if c["id"] == cid)["date"] = int(at.timestamp())
    return cid


def message(post_id: int, comment_id: int) -> Message:
    return Message.objects.get(external_id=f"{OWNER}_{post_id}_{comment_id}")


def watch_of(post_id: int) -> Watch:
    return Watch.objects.get(post=Post.objects.get(external_id=f"{OWNER}_{post_id}"))


def page(watch: Watch) -> str:
    response = client_for("alice").get(f"/governor/posts/{watch.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_old_posts_of_a_newly_registered_community_get_no_checks_deadlines_or_violations(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.4, R-7.2, R-12: the community is registered on 05.11.2024. Its post of 15.10.2024 with a question under
    it was first read three weeks after its two working days of checks had ended: it is history, with no check
    missed, no question opened and no violation at any later sweep; its page says in Russian why, and shows the
    question. The pinned post of 2012 cannot be counted by the calendar: it gets no checks either, its page says
    why, and it does not stop the checks of the post published that morning, whose first check is done at its
    moment."""
    source = community(fake_vk)
    wall_post(fake_vk, 90, msk(2012, 3, 1, 12, 0), "Закреплённый пост.", is_pinned=1)
    wall_post(fake_vk, 100, msk(2024, 10, 15, 10, 0), "Губернатор: ремонт поликлиники в Гатчине.")
    wall_post(fake_vk, 110, msk(2024, 11, 5, 10, 0), "Губернатор: новая школа в Луге.")
    old_question = vk_comment(fake_vk, 100, HEALTH_QUESTION, msk(2024, 10, 15, 10, 30))
    pinned_comment = vk_comment(fake_vk, 90, THANKS, msk(2012, 3, 1, 13, 0))
    assert run_source(source).error == ""

    report = service.run_checks(now=msk(2024, 11, 5, 10, 5), fetch=False)
    assert report.missed == 0
    old = watch_of(100)
    assert (old.mode, old.checks.count(), old.comments.count()) == (Watch.Mode.HISTORY, 0, 0)
    assert not Case.objects.filter(case_messages__message=message(100, old_question)).exists()
    pinned = watch_of(90)
    assert (pinned.mode, pinned.checks.count()) == (Watch.Mode.OUT_OF_CALENDAR, 0)
    fresh = watch_of(110)
    assert (fresh.mode, fresh.checks.count()) == (Watch.Mode.WATCHED, 8)

    assert service.run_checks(now=msk(2024, 11, 5, 14, 50), fetch=False).done == 1
    assert fresh.checks.get(number=1).state == Check.State.DONE
    sla.sweep(now=msk(2024, 11, 7, 12, 0))
    assert not Violation.objects.exists()
    assert not Check.objects.filter(state=Check.State.MISSED).exists()

    old_page = page(old)
    assert "Пост опубликован 15.10.2024 10:00, до того как Отклик начал за ним наблюдать" in old_page
    assert "проверки и сроки ответов не назначены" in old_page
    assert HEALTH_QUESTION in old_page and 'data-testid="checks"' not in old_page
    pinned_page = page(pinned)
    assert "Проверки и сроки для поста не назначены: его даты (опубликован 01.03.2012 12:00)" in pinned_page
    assert "вне производственного календаря" in pinned_page
    assert message(90, pinned_comment).text in pinned_page
    listing = client_for("alice").get("/governor/").content.decode()
    assert "опубликован до начала наблюдения: проверок и сроков нет" in listing


def test_a_post_first_read_late_counts_checks_and_deadlines_from_its_first_read(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.4, R-7.2, R-12: the post of Tuesday 10:00 is first read at 17:00 (an outage). The 14:45 check, whose
    time ran out at 16:45, was not required (not missed); the 16:45 check is done by the 17:00 run. The question
    written at 10:30, in the first window, is due two working hours after 17:00 (17:00–18:00, Wednesday
    09:00–10:00), so the sweep at 09:59 records no violation; the one at 10:01 records one."""
    source = community(fake_vk)
    wall_post(fake_vk, 120, msk(2024, 11, 5, 10, 0), "Губернатор: открыли поликлинику в Гатчине.")
    question = vk_comment(fake_vk, 120, HEALTH_QUESTION, msk(2024, 11, 5, 10, 30))
    assert run_source(source).error == ""

    report = service.run_checks(now=msk(2024, 11, 5, 17, 0), fetch=False)
    assert (report.missed, report.done) == (0, 1)
    watch = watch_of(120)
    assert watch.mode == Watch.Mode.WATCHED and watch.first_read_at == msk(2024, 11, 5, 17, 0)
    states = [(c.due_at, c.state) for c in watch.checks.order_by("number")[:3]]
    assert states == [
        (msk(2024, 11, 5, 14, 45), Check.State.UNSEEN),
        (msk(2024, 11, 5, 16, 45), Check.State.DONE),
        (msk(2024, 11, 6, 9, 45), Check.State.DUE),
    ]
    triaged = Comment.objects.get(message=message(120, question))
    assert triaged.kind == Comment.Kind.QUESTION and triaged.case is not None
    d = Deadline.objects.get(case=triaged.case, stage="gov_answer")
    assert (d.started_at, d.due_at) == (msk(2024, 11, 5, 17, 0), msk(2024, 11, 6, 10, 0))

    sla.sweep(now=msk(2024, 11, 6, 9, 59))
    assert not Violation.objects.exists()
    text = page(watch)
    row1 = text.split('data-check="1"')[1].split("</tr>")[0]
    assert "не требовалась" in row1 and "пропущена" not in row1
    assert "Отклик впервые прочитал пост 05.11.2024 17:00, после первых двух рабочих часов" in text
    sla.sweep(now=msk(2024, 11, 6, 10, 1))
    assert Violation.objects.get().case == triaged.case


def test_a_comment_edited_into_a_question_is_triaged_again_and_a_taken_one_keeps_its_case(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.1, R-7.2: «Спасибо» written at 10:20 under the 10:00 post is not a question; at 11:00 its author has
    edited it into a question about the clinic: the next run triages it again and the question goes to health,
    due two working hours after the edit was read (11:00 → 13:00), not after the post (it was not there then).
    A question already in a case, edited, keeps its case (no second one); a comment edited into another thank-you
    stays a comment and is not triaged again at every run."""
    source = community(fake_vk)
    wall_post(fake_vk, 130, msk(2024, 11, 5, 10, 0), "Губернатор: открыли поликлинику в Гатчине.")
    thanks = vk_comment(fake_vk, 130, THANKS, msk(2024, 11, 5, 10, 20), from_id=4444444)
    other = vk_comment(fake_vk, 130, "Отличная новость.", msk(2024, 11, 5, 10, 25), from_id=5555555)
    asked = vk_comment(fake_vk, 130, ROADS_QUESTION, msk(2024, 11, 5, 10, 30), from_id=6666666)
    assert run_source(source).error == ""
    service.run_checks(now=msk(2024, 11, 5, 10, 35), fetch=False)
    assert Comment.objects.get(message=message(130, thanks)).kind == Comment.Kind.OTHER
    roads_case = Comment.objects.get(message=message(130, asked)).case
    assert roads_case is not None

    fake_vk.edit_comment(thanks, HEALTH_QUESTION)
    fake_vk.edit_comment(other, "Спасибо большое, отличная новость!")
    fake_vk.edit_comment(asked, ROADS_QUESTION + " Улица Соборная.")
    assert run_source(source).error == ""
    assert message(130, thanks).text == HEALTH_QUESTION
    assert service.process_comments(now=msk(2024, 11, 5, 11, 0)) == 2

    edited = Comment.objects.get(message=message(130, thanks))
    assert (edited.kind, edited.body) == (Comment.Kind.QUESTION, p.health)
    assert edited.case is not None and edited.case.assignments.get().body == p.health
    d = Deadline.objects.get(case=edited.case, stage="gov_answer")
    assert (d.started_at, d.due_at) == (msk(2024, 11, 5, 11, 0), msk(2024, 11, 5, 13, 0))
    assert Comment.objects.get(message=message(130, other)).kind == Comment.Kind.OTHER
    assert Comment.objects.get(message=message(130, asked)).case == roads_case
    assert Case.objects.filter(case_messages__message=message(130, asked)).count() == 1
    assert service.process_comments(now=msk(2024, 11, 5, 11, 5)) == 0

    text = page(watch_of(130))
    questions = text.split("<h2>Вопросы")[1].split("<h2>Другие комментарии")[0]
    assert HEALTH_QUESTION in questions and ROADS_QUESTION + " Улица Соборная." in questions
