"""End to end through the loopback fake VK and Telegram servers (R-7.1, R-7.2): the Governor's post and its
comments come in through the connectors, the question reaches the competent body, the body answers, and the
answer lands in the fake network as a reply to that very comment."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from otklik.cases.models import Case, Publication
from otklik.governor import actions, service
from otklik.governor.models import Comment, Watch
from otklik.intake.models import Message, Post, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.governor.helpers import HEALTH_QUESTION, THANKS, governor_vk

pytestmark = pytest.mark.django_db

OWNER = -200000001
GROUP = -1009876543210
CHANNEL = -1001234567890


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


def register_telegram(fake: FakeTelegram) -> Source:
    """The Governor's Telegram channel with its discussion group (one bot reads both)."""
    return Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Губернатор Ленинградской области (Telegram)",
        is_governor=True,
        config={"api_base": fake.url, "token": fake.token},
    )


def test_vk_post_and_comments_come_in_a_body_answers_and_the_reply_lands_under_the_comment(
    p: Personas, fake_vk: FakeVK
) -> None:
    source = governor_vk(fake_vk)
    post = copy.deepcopy(fake_vk.posts[0])
    post.update(id=103, date=int(time.time()) - 60, text="Губернатор: открыли поликлинику в Гатчине.")
    fake_vk.posts.append(post)
    question_id = fake_vk.add_comment(103, HEALTH_QUESTION, from_id=3333333)
    fake_vk.add_comment(103, THANKS, from_id=4444444)

    assert run_source(source).error == ""  # the ingestion loop (`otklik ingest`) reads the community
    call_command("governor_checks", "--no-fetch")  # opens the watches and triages the comments
    watched = Post.objects.get(external_id=f"{OWNER}_103")
    assert watched.is_governor and Watch.objects.filter(post=watched).exists()
    assert watched.watch.checks.count() == 8

    question = Message.objects.get(external_id=f"{OWNER}_103_{question_id}")
    triaged = Comment.objects.get(message=question)
    assert (triaged.kind, triaged.body) == (Comment.Kind.QUESTION, p.health)
    thanks = Comment.objects.get(message__post=watched, message__text=THANKS)
    assert thanks.kind == Comment.Kind.OTHER and thanks.case is None

    case = triaged.case
    assert case is not None and case.assignments.get().executor == p.alice
    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября, запись открыта.")
    assert service.publish(case, p.alice) == ""

    [call] = fake_vk.calls("wall.createComment")
    assert call.params["owner_id"] == str(OWNER) and call.params["post_id"] == "103"
    assert call.params["reply_to_comment"] == str(question_id)
    assert call.params["message"] == "Терапевт принимает с 11 ноября, запись открыта."
    landed = fake_vk.comments[-1]
    assert (landed["reply_to_comment"], landed["from_id"], landed["parents_stack"]) == (
        question_id,
        -200000001,
        [question_id],
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    publication = Publication.objects.get(case=case)
    assert publication.method == "api" and publication.external_id == f"{OWNER}_103_{landed['id']}"


def telegram_question(p: Personas, fake_telegram: FakeTelegram) -> tuple[Case, dict[str, Any]]:
    """A health question in the discussion group of the Governor's channel, read, triaged and answered."""
    source = register_telegram(fake_telegram)
    # The channel's post is fresh (the fake's fixture dates it 28.11.2024; a post first read after its two working
    # days would be history, without checks or deadlines, R-7.4).
    for update in fake_telegram.updates:
        for m in update.values():
            if isinstance(m, dict) and "date" in m:
                m["date"] = int(time.time()) - 60
    # A top-level comment in the discussion group answers the group's automatic copy of the channel post.
    forwarded = next(
        u["message"] for u in fake_telegram.updates if u.get("message", {}).get("is_automatic_forward")
    )
    sent = fake_telegram.comment(HEALTH_QUESTION, reply_to=forwarded["message_id"])
    sent["reply_to_message"] = copy.deepcopy(forwarded)
    assert run_source(source).error == ""
    call_command("governor_checks", "--no-fetch")
    post = Post.objects.get(external_id=f"{CHANNEL}:45")
    assert post.is_governor and post.watch.checks.count() == 8

    question = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    triaged = Comment.objects.get(message=question)
    assert (triaged.kind, triaged.body) == (Comment.Kind.QUESTION, p.health)
    case = triaged.case
    assert case is not None
    actions.submit_answer(case, p.alice, "В субботу поликлиника работает с 9 до 14.")
    return case, sent


def test_telegram_channel_post_and_discussion_comment_the_reply_lands_as_a_reply_to_it(
    p: Personas, fake_telegram: FakeTelegram
) -> None:
    case, sent = telegram_question(p, fake_telegram)
    assert service.publish(case, p.alice) == ""

    [call] = fake_telegram.calls("sendMessage")
    assert call.params["chat_id"] in (GROUP, str(GROUP))
    assert call.params["reply_parameters"]["message_id"] == sent["message_id"]
    assert call.params["text"] == "В субботу поликлиника работает с 9 до 14."
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_an_answer_telegram_may_have_posted_is_not_called_unpublished(
    p: Personas, fake_telegram: FakeTelegram
) -> None:
    """R-7.1, R-8.7: Telegram posts the answer but the response is lost (502): the executor is not told to
    publish it by hand — that would be a second answer under the Governor's post — but to check the thread."""
    case, _sent = telegram_question(p, fake_telegram)
    fake_telegram.fail("sendMessage", after=True)
    error = service.publish(case, p.alice)
    assert "неизвестно, опубликован ли ответ" in error and "проверьте ветку" in error
    assert len(fake_telegram.published) == 1
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED  # waits for the link the executor confirms


def test_a_due_check_fetches_new_comments_through_the_connector_and_is_recorded(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.4: `otklik governor_checks` at a check moment reads the Governor's community through the connector,
    triages what is new and records the check as done with the count; the moment before it was missed."""
    source = governor_vk(fake_vk)
    post = copy.deepcopy(fake_vk.posts[0])
    post.update(id=103, date=int(msk(2024, 11, 1, 17, 30).timestamp()), text="Губернатор: новая поликлиника.")
    fake_vk.posts.append(post)
    run_source(source)
    call_command("governor_checks", "--no-fetch", "--now", "2024-11-01T17:35:00+03:00")
    watch = Post.objects.get(external_id=f"{OWNER}_103").watch
    assert watch.checks.filter(state="due").count() == 8

    question_id = fake_vk.add_comment(103, HEALTH_QUESTION, from_id=3333333)
    fake_vk.requests.clear()
    call_command("governor_checks", "--now", "2024-11-02T15:50:00+03:00")  # the 2nd check is due (15:45)
    assert fake_vk.calls("wall.getComments")  # the check read the network
    first, second = watch.checks.order_by("number")[:2]
    assert (first.state, second.state) == ("missed", "done")
    assert second.ran_at == msk(2024, 11, 2, 15, 50) and second.new_comments == 1
    triaged = Comment.objects.get(message__external_id=f"{OWNER}_103_{question_id}")
    assert (triaged.kind, triaged.body) == (Comment.Kind.QUESTION, p.health)


def test_r7_1_the_governors_own_post_on_his_personal_page_is_not_a_message_for_the_inbox() -> None:
    """A post the Governor writes on his own VK page is watched as his post; a visitor's post on that wall is a
    citizen's message like any other."""
    from otklik.cases.inbox import unrouted_messages
    from otklik.intake.models import Message, Source
    from otklik.intake.pipeline import upsert
    from otklik.integrations.vk.connector import parse_wall_post

    page = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Губернатор (личная страница)",
        external_id="12345",
        is_governor=True,
        is_active=False,
        config={"owner_id": "12345"},
    )
    own = {
        "id": 77,
        "owner_id": 12345,
        "from_id": 12345,
        "date": 1732780800,
        "text": "Открыли школу в Мурино.",
    }
    visitor = {
        "id": 78,
        "owner_id": 12345,
        "from_id": 777,
        "date": 1732780900,
        "text": "А когда дорогу починят?",
    }
    upsert([*parse_wall_post(own, {}, {}), *parse_wall_post(visitor, {}, {})], page)
    by_author = {m.author_id: m for m in Message.objects.filter(network="vk")}
    assert by_author["12345"].is_official and not by_author["777"].is_official
    assert set(unrouted_messages().values_list("author_id", flat=True)) == {"777"}
