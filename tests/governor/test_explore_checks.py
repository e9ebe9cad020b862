"""The Governor's posts watched on schedule while the network misbehaves, and a clarification written in the
thread of the question (R-7.3, R-7.4), through the loopback fake VK."""

from __future__ import annotations

import copy

import pytest
from django.core.management import call_command

from otklik.governor.models import Check, Comment
from otklik.intake.models import Cursor, Message, Post, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.governor.helpers import HEALTH_QUESTION, HEALTH_TOPIC, competence, governor_vk

pytestmark = pytest.mark.django_db

OWNER = -200000001


@pytest.fixture
def p(personas: Personas) -> Personas:
    competence(personas.health, *HEALTH_TOPIC)
    return personas


def watched_post(fake: FakeVK, source: Source) -> Post:
    post = copy.deepcopy(fake.posts[0])
    post.update(id=103, date=int(msk(2024, 11, 1, 17, 30).timestamp()), text="Губернатор: новая поликлиника.")
    fake.posts.append(post)
    run_source(source)
    call_command("governor_checks", "--no-fetch", "--now", "2024-11-01T17:35:00+03:00")
    return Post.objects.get(external_id=f"{OWNER}_103")


def test_a_check_the_network_failed_is_retried_not_recorded_done(p: Personas, fake_vk: FakeVK) -> None:
    """R-7.4: at the 2nd check moment VK answers error 10 (internal error) to the wall's read and to the check's
    own read of the post's comments: the comments were not read, so the check is not recorded as done; it stays due with the reason shown, and the next run (cron every few
    minutes) reads the network, finds the new question and records the check done."""
    source = governor_vk(fake_vk)
    watch = watched_post(fake_vk, source).watch
    question = fake_vk.add_comment(103, HEALTH_QUESTION, from_id=3333333)
    fake_vk.fail("wall.getComments", code=10, times=2)
    call_command("governor_checks", "--now", "2024-11-02T15:50:00+03:00")  # the 2nd check is due (15:45)
    second = watch.checks.get(number=2)
    assert second.state == Check.State.DUE and second.ran_at is None
    assert "комментарии не получены" in second.note and "error 10" in second.note
    assert not Message.objects.filter(external_id=f"{OWNER}_103_{question}").exists()

    call_command("governor_checks", "--now", "2024-11-02T15:55:00+03:00")  # VK is back
    second.refresh_from_db()
    assert (second.state, second.ran_at, second.new_comments) == (
        Check.State.DONE,
        msk(2024, 11, 2, 15, 55),
        1,
    )
    assert second.note == ""
    assert Comment.objects.get(message__external_id=f"{OWNER}_103_{question}").body == p.health


def test_a_network_down_until_the_next_moment_leaves_the_check_missed(p: Personas, fake_vk: FakeVK) -> None:
    """R-7.4: VK unreachable (connection refused) for the whole interval: the check is missed, not done; the
    cursor is kept, so nothing is lost once the network is back."""
    source = governor_vk(fake_vk)
    watch = watched_post(fake_vk, source).watch
    before = Cursor.objects.get(source=source).position
    source.config["api_base"] = "http://127.0.0.1:9/method/"  # nothing listens on the discard port
    source.save()
    call_command("governor_checks", "--now", "2024-11-02T15:50:00+03:00")
    call_command("governor_checks", "--now", "2024-11-05T09:50:00+03:00")  # after the 3rd moment (9:45)
    second = watch.checks.get(number=2)
    assert second.state == Check.State.MISSED
    # when it was noticed, and why it could not run (kept from the failed run)
    assert (
        second.note.startswith("не выполнена до 05.11.2024 09:50; ")
        and "комментарии не получены" in second.note
    )
    cursor = Cursor.objects.get(source=source)
    assert cursor.position == before and "ConnectError" in cursor.last_error


def test_the_authors_reply_in_the_questions_thread_is_picked_up_by_the_next_check(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.3, R-7.4: the author answers in the thread of the question after others have commented below it:
    the next check reads that reply and triages it."""
    source = governor_vk(fake_vk)
    watch = watched_post(fake_vk, source).watch
    question = fake_vk.add_comment(103, HEALTH_QUESTION, from_id=3333333)
    fake_vk.add_comment(103, "Спасибо, отличная новость!", from_id=4444444)
    call_command("governor_checks", "--now", "2024-11-02T15:50:00+03:00")
    reply = fake_vk.add_comment(
        103, "Уточню: поликлиника на улице Рощинской, Гатчина.", reply_to=question, from_id=3333333
    )
    call_command("governor_checks", "--now", "2024-11-05T09:50:00+03:00")  # the 3rd check (9:45)
    stored = Message.objects.get(external_id=f"{OWNER}_103_{reply}")
    assert stored.reply_to is not None and stored.reply_to.external_id == f"{OWNER}_103_{question}"
    assert Comment.objects.filter(message=stored).exists()
    third = watch.checks.get(number=3)
    assert (third.state, third.new_comments) == (Check.State.DONE, 1)
