# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.1: what the Governor's own community writes under its post is the Governor's page talking, not a resident's
question, with the source set up as docs/operations.md § First day tells the administrator (the community's number
in «идентификатор в сети» and `token` in the settings, no `group_id`): its reply is marked official and nobody
gets it as a question with a term. Loopback fake VK. Found by a review (session 18)."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from otklik.cases.models import Case
from otklik.governor.models import Comment
from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.governor.conftest import fake_vk, p  # noqa: F401 (the Governor's tests' own fixtures)
from tests.governor.helpers import HEALTH_QUESTION

pytestmark = pytest.mark.django_db

OWNER = -200000001


def governor_community_as_documented(fake: FakeVK) -> Source:
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Губернатор Ленинградской области",
        external_id="200000001",
        is_governor=True,
        config={"api_base": f"{fake.url}/method/", "token": fake.token, "per_second": 0},
    )


def test_r7_1_the_governors_community_asking_the_author_for_details_is_nobodys_question(
    p: Personas, fake_vk: FakeVK
) -> None:
    """Under the Governor's post of Tuesday 05.11.2024 10:00 a resident asks about a therapist; the Governor's
    own community (its press service, writing as the community, id −200000001) replies in the thread «Уточните,
    пожалуйста, о какой поликлинике речь?». The resident's question goes to the health committee; the
    community's reply is stored as an official account's comment and becomes nobody's question (no 2-working-hour
    term, no violation, R-12) — without any `group_id` setting."""
    source = governor_community_as_documented(fake_vk)
    post = copy.deepcopy(fake_vk.posts[0])
    post.update(id=103, date=int(msk(2024, 11, 5, 10, 0).timestamp()), text="Открыли поликлинику в Гатчине.")
    fake_vk.posts.append(post)
    question = fake_vk.add_comment(103, HEALTH_QUESTION, from_id=3333333)
    ours = fake_vk.add_comment(
        103, "Уточните, пожалуйста, о какой поликлинике речь?", from_id=OWNER, reply_to=question
    )
    assert run_source(source).error == ""
    call_command("governor_checks", "--no-fetch", "--now", "2024-11-05T10:30:00+03:00")

    resident = Comment.objects.get(message__external_id=f"{OWNER}_103_{question}")
    assert resident.case is not None  # the resident's question went to health, as it should
    governors = Message.objects.get(external_id=f"{OWNER}_103_{ours}")
    triaged = Comment.objects.get(message=governors)
    assert (governors.is_official, triaged.case_id) == (True, None), (
        f"the Governor's community's reply became {triaged.get_kind_display()!r}, "
        f"case {triaged.case_id}: {list(Case.objects.filter(pk=triaged.case_id).values_list('summary', flat=True))}"
    )


GROUP = -1009876543210
CHANNEL = -1001234567890


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


def test_r7_1_the_governors_channel_answering_in_its_discussion_group_is_nobodys_question(
    p: Personas, fake_telegram: FakeTelegram
) -> None:
    """The same in Telegram: a resident asks under the Governor's channel post in its discussion group, and the
    channel itself (its administrators writing as the channel) asks back «Уточните, пожалуйста, о какой
    поликлинике речь?». The channel's message is an official account's comment, nobody's question."""
    source = Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Губернатор Ленинградской области (Telegram)",
        is_governor=True,
        config={"api_base": fake_telegram.url, "token": fake_telegram.token},
    )
    for update in fake_telegram.updates:  # a fresh post: watched, not history
        for m in update.values():
            if isinstance(m, dict) and "date" in m:
                m["date"] = int(time.time()) - 60
    forwarded = next(
        u["message"] for u in fake_telegram.updates if u.get("message", {}).get("is_automatic_forward")
    )
    asked = fake_telegram.comment(HEALTH_QUESTION, reply_to=forwarded["message_id"])
    asked["reply_to_message"] = copy.deepcopy(forwarded)
    channel = {"id": CHANNEL, "type": "channel", "title": "Губернатор Ленинградской области"}
    ours = fake_telegram.comment(
        "Уточните, пожалуйста, о какой поликлинике речь?",
        reply_to=asked["message_id"],
        sender_chat=channel,
    )
    ours["from"] = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}
    ours["reply_to_message"] = copy.deepcopy(asked)
    assert run_source(source).error == ""
    call_command("governor_checks", "--no-fetch")

    resident = Comment.objects.get(message__external_id=f"{GROUP}:{asked['message_id']}")
    assert resident.case is not None
    governors = Message.objects.get(external_id=f"{GROUP}:{ours['message_id']}")
    assert governors.author_id == str(CHANNEL)
    triaged = Comment.objects.get(message=governors)
    assert (governors.is_official, triaged.case_id) == (True, None), triaged.get_kind_display()
