# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""Found by a review (session 25), fixed since. R-7.3 (with R-7.4): the author's details that come after the post's two days of checks are never read.

The health committee answers a question under the Governor's VK post of Friday 01.11.2024 17:30 with an interim
answer asking which clinic (R-7.3). The community publishes about seven posts a day, so within the two working
days of checks the watched post falls out of the 20 newest posts the wall's read covers (`posts_window`). The
checks read the post's own comments (`governor.service._read_post`), but only while the post has checks: the last
one is on Wednesday 06.11. On Thursday 07.11 at 10:00 the author answers the request under the post. The periodic
read of the source (`intake.pipeline.run_source` → `VKConnector._wall`, the 20 newest posts) and the run of the
checks (`governor.service.run_checks`: `_read_post` only for a watch with a check due) never read that post again,
so the details never reach Otklik: the question stays «ждёт ответа автора» for ever, Алексеева is not told, and the
answer due 2 working hours after the details (R-7.3) is never set — nor is its miss recorded (R-12).

Expected: a question whose interim answer waits for the author's details (`governor.actions.awaits_details`) keeps
its post read (as a check does) until the details come, so that they open the 2-working-hour term.
Cause: src/otklik/governor/service.py, `run_checks` reads a post's own comments only for its due checks."""

from __future__ import annotations

import copy

import pytest
from django.core.management import call_command

from otklik.cases.models import Case, Deadline
from otklik.governor import actions
from otklik.governor.models import Check, Comment
from otklik.intake.models import Message, Post
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.governor.conftest import fake_vk, p  # noqa: F401 (the Governor's tests' own fixtures)
from tests.governor.helpers import HEALTH_QUESTION, governor_vk

pytestmark = pytest.mark.django_db

OWNER = -200000001
AUTHOR = 3333333


def _post(fake: FakeVK, post_id: int, at: object, text: str) -> None:
    post = copy.deepcopy(fake.posts[0])
    post.update(id=post_id, date=int(at.timestamp()), text=text)  # type: ignore[attr-defined]
    post["comments"] = {"count": 0}
    fake.posts.append(post)


def _comment(fake: FakeVK, post_id: int, text: str, at: object, reply_to: int | None = None) -> int:
    cid = fake.add_comment(post_id, text, from_id=AUTHOR, reply_to=reply_to)
    with fake.lock:
        next(c for c in fake.comments if c["id"] == cid)["date"] = int(at.timestamp())  # type: ignore[attr-defined]
        post = next(x for x in fake.posts if x["id"] == post_id)
        post["comments"] = {"count": sum(1 for c in fake.comments if c["post_id"] == post_id)}
    return cid


def test_r7_3_the_authors_details_after_the_posts_checks_reach_the_waiting_question(
    p: Personas, fake_vk: FakeVK
) -> None:
    source = governor_vk(fake_vk)
    _post(fake_vk, 103, msk(2024, 11, 1, 17, 30), "Губернатор: новая поликлиника в Гатчине.")
    question = _comment(fake_vk, 103, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    run_source(source)
    call_command("governor_checks", "--no-fetch", "--now", "2024-11-01T17:45:00+03:00")
    post = Post.objects.get(external_id=f"{OWNER}_103")
    watch = post.watch
    case = Comment.objects.get(message__external_id=f"{OWNER}_103_{question}").case
    assert case is not None and case.assignments.get().body == p.health

    # the interim answer asking for details, published on Saturday morning (a working day in 2024)
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, о какой поликлинике речь и какой у неё адрес?",
        interim=True,
        now=msk(2024, 11, 2, 9, 30),
    )
    actions.confirm_publication(
        case, method="api", external_id=f"{OWNER}_103_777", now=msk(2024, 11, 2, 9, 31)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR

    # the community posts about seven times a day; every check of the post runs on time and reads it
    for n in range(21):
        _post(fake_vk, 104 + n, msk(2024, 11, 2 + n // 7, 10 + n % 7, 0), f"Новость области № {n + 1}.")
    for check in watch.checks.order_by("number"):
        at = check.due_at.isoformat()
        call_command("governor_checks", "--now", at)
    assert set(watch.checks.values_list("state", flat=True)) == {Check.State.DONE}
    last_check = watch.checks.order_by("-number").first().due_at

    # Thursday 07.11.2024 10:00, after the post's last check: the author answers the request
    details_at = msk(2024, 11, 7, 10, 0)
    assert details_at > last_check
    details = _comment(fake_vk, 103, "Поликлиника № 2 на Соборной, 5.", details_at, reply_to=question)
    # the periodic read of the source and the periodic run of the checks, as the worker does them
    run_source(source)
    call_command("governor_checks", "--now", "2024-11-07T10:15:00+03:00")
    run_source(source)
    call_command("governor_checks", "--now", "2024-11-07T12:15:00+03:00")

    stored = Message.objects.filter(external_id=f"{OWNER}_103_{details}").first()
    case.refresh_from_db()
    term = Deadline.objects.filter(case=case, stage=Deadline.Stage.GOV_AFTER_REPLY).first()
    assert stored is not None and term is not None, (
        "the author answered the interim answer's request on 07.11 10:00, but Otklik never read the comment "
        f"(stored: {stored is not None}); the question is still «{case.get_status_display()}» and no answer is due "
        "2 working hours after the details (п. 7.3)"
    )
    assert term.started_at == details_at
