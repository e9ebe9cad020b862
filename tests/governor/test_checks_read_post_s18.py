# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.4: a check of a Governor's post reads that post's own comments (loopback fake VK). The community posts
several times a day, so within a post's two working days of checks more than 20 newer posts may follow it; the
check still reads the watched post's comments (VK wall.getComments by owner_id and post_id), routes the question
found there and is recorded «выполнена» only when it did. A post deleted in the network is marked «Пост удалён в
сети» on its page and its remaining checks read «не требуется: пост удалён». Found by a review (session 18).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from otklik.governor.models import Check, Comment
from otklik.intake.models import Message, Post, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.base import Request, Response
from tests.fakes.vk import FakeVK
from tests.governor.conftest import fake_vk, p  # noqa: F401 (the Governor's tests' own fixtures)
from tests.governor.helpers import HEALTH_QUESTION, client_for, governor_vk

pytestmark = pytest.mark.django_db

OWNER = -200000001


def _post(fake: FakeVK, post_id: int, at: object, text: str) -> None:
    post = copy.deepcopy(fake.posts[0])
    post.update(id=post_id, date=int(at.timestamp()), text=text)  # type: ignore[attr-defined]
    post["comments"] = {"count": 0}
    fake.posts.append(post)


def watched_post(fake: FakeVK, source: Source) -> Post:
    _post(fake, 103, msk(2024, 11, 1, 17, 30), "Губернатор: новая поликлиника в Гатчине.")
    run_source(source)
    call_command("governor_checks", "--no-fetch", "--now", "2024-11-01T17:35:00+03:00")
    return Post.objects.get(external_id=f"{OWNER}_103")


def test_r7_4_a_check_is_not_recorded_done_for_a_post_whose_comments_were_not_read(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.4: the Governor's post of Friday 01.11.2024 17:30 is checked until Wednesday 06.11 (checks on Saturday
    02.11, a working day, and on Tuesday 05.11 after the holiday). From Saturday to Monday the community publishes
    20 more posts, so on Tuesday the watched post is no longer among the 20 newest the wall's read covers
    (`posts_window`, 20). A resident asks a health question under it on Tuesday morning; the check of Tuesday
    11:45 (the 4th) reads the post's own comments, is recorded «выполнена» with 1 new comment, and the question
    reaches the health committee."""
    source = governor_vk(fake_vk)
    watch = watched_post(fake_vk, source).watch
    for n in range(20):  # Saturday to Monday, about seven a day
        _post(fake_vk, 104 + n, msk(2024, 11, 2 + n // 7, 10 + n % 7, 0), f"Новость области № {n + 1}.")
    call_command("governor_checks", "--now", "2024-11-05T09:50:00+03:00")  # the 3rd check (09:45)
    assert watch.checks.get(number=3).state == Check.State.DONE
    question = fake_vk.add_comment(103, HEALTH_QUESTION, from_id=3333333)

    call_command("governor_checks", "--now", "2024-11-05T11:50:00+03:00")  # the 4th check (11:45)

    fourth = watch.checks.get(number=4)
    stored = Message.objects.filter(external_id=f"{OWNER}_103_{question}").first()
    assert fourth.state == Check.State.DONE, (fourth.get_state_display(), fourth.note)
    assert stored is not None, (
        f"the 4th check is recorded «выполнена» with {fourth.new_comments} new comments, but the question "
        "under the post was never read"
    )
    assert fourth.new_comments == 1
    case = Comment.objects.get(message=stored).case
    assert case is not None and case.assignments.get().body == p.health


class DeletingVK(FakeVK):
    """The fake VK where a post can be deleted: VK then refuses its comments (error 15, «post was deleted») and
    ``wall.getById`` no longer returns it."""

    def handle(self, request: Request) -> Response:
        method = request.path.rsplit("/", 1)[-1]
        params = request.params
        if method == "wall.getById":
            asked = {str(k) for k in str(params.get("posts", "")).split(",")}
            with self.lock:
                items = [copy.deepcopy(x) for x in self.posts if f"{x['owner_id']}_{x['id']}" in asked]
            return Response(body={"response": {"items": items}})
        if method == "wall.getComments":
            with self.lock:
                there = any(x["id"] == int(params["post_id"]) for x in self.posts)
            if not there:
                return self._error(15, "Access denied: post was deleted", params)
        return super().handle(request)


@pytest.fixture
def deleting_vk() -> Iterator[DeletingVK]:
    with DeletingVK() as fake:
        yield fake


def test_r7_4_a_post_deleted_in_the_network_is_shown_so_and_its_checks_stop(
    p: Personas, deleting_vk: DeletingVK
) -> None:
    """The Governor's page deletes the post of Friday 01.11.2024 17:30 on Saturday afternoon, after the
    check of 13:45 read it. The check of 15:45 finds it gone: the post page says «Пост удалён в сети», that check and the later ones read
    «не требуется: пост удалён» (never «выполнена», never «пропущена»), with a Russian note."""
    source = governor_vk(deleting_vk)
    watch = watched_post(deleting_vk, source).watch
    call_command("governor_checks", "--now", "2024-11-02T13:50:00+03:00")  # the 1st check (13:45)
    assert watch.checks.get(number=1).state == Check.State.DONE
    with deleting_vk.lock:
        deleting_vk.posts = [x for x in deleting_vk.posts if x["id"] != 103]

    call_command("governor_checks", "--now", "2024-11-02T15:50:00+03:00")  # the 2nd check (15:45)

    watch.refresh_from_db()
    assert watch.post_deleted_at == msk(2024, 11, 2, 15, 50)
    states = list(watch.checks.order_by("number").values_list("state", flat=True))
    assert states == [Check.State.DONE] + [Check.State.STOPPED] * 7, states
    assert "пост удалён в сети" in watch.checks.get(number=2).note
    call_command("governor_checks", "--now", "2024-11-05T18:00:00+03:00")  # nothing is missed later
    assert not watch.checks.filter(state=Check.State.MISSED).exists()
    page = client_for("alice").get(f"/governor/posts/{watch.pk}/").content.decode()
    assert "Пост удалён в сети" in page and "проверки комментариев прекращены" in page
    assert "не требуется: пост удалён" in page
