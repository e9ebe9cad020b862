"""Intake explored as an operator would, against the loopback fakes: what real networks do that the first
tests did not cover (R-4, R-7.3, R-7.4)."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

import pytest
from django.test import Client

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.base import load_fixture
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db

OWNER = -200000001
GROUP = -1009876543210


def vk_event(client: Client, event: dict[str, Any]) -> Any:
    return client.post("/integrations/vk/callback/", data=json.dumps(event), content_type="application/json")


def tg_update(client: Client, source: Source, update: dict[str, Any]) -> Any:
    return client.post(
        f"/integrations/telegram/webhook/{source.pk}/",
        data=json.dumps(update),
        content_type="application/json",
        HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN="tg-secret",
    )


# --- VK: replies in the threads of older comments ----------------------------------------------------------


def test_a_reply_in_the_thread_of_an_older_comment_is_not_lost(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4, R-7.3: a person answering in the thread of an earlier comment (an author replying to the body's
    answer) writes a reply that is neither after the last top-level comment nor in its thread. It must still
    be read: nothing said under a watched post is lost."""
    run_source(vk_source)
    # 1001 is the first top-level comment under post 101; 1002 (with its thread) came after it.
    reply = fake_vk.add_comment(101, "Уточняю: ФАП в деревне Малые Колпаны", reply_to=1001, from_id=1111111)
    report = run_source(vk_source)
    assert report.error == ""
    stored = Message.objects.get(external_id=f"{OWNER}_101_{reply}")
    assert stored.text == "Уточняю: ФАП в деревне Малые Колпаны"
    assert stored.reply_to is not None and stored.reply_to.external_id == f"{OWNER}_101_1001"
    # Read once: the next run has nothing new and does not read the threads again.
    fake_vk.requests.clear()
    assert run_source(vk_source).created == 0
    assert fake_vk.calls("wall.getComments") == []


def test_a_long_older_thread_that_grew_is_read_in_full(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: the thread preview holds 10 replies; a new reply beyond them in an older thread is fetched too."""
    root = fake_vk.add_comment(102, "Корневой комментарий")
    for i in range(11):
        fake_vk.add_comment(102, f"ответ {i}", reply_to=root)
    fake_vk.add_comment(102, "Более поздний комментарий верхнего уровня")
    run_source(vk_source)
    late = fake_vk.add_comment(102, "Поздний ответ в длинной ветке", reply_to=root)
    assert run_source(vk_source).created == 1
    assert (
        Message.objects.get(external_id=f"{OWNER}_102_{late}").reply_to.external_id == f"{OWNER}_102_{root}"
    )  # type: ignore[union-attr]


def test_a_cursor_saved_before_threads_were_counted_still_finds_older_replies(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    """A cursor written by the previous version (no per-thread counts) reads every thread once."""
    run_source(vk_source)
    cursor = Cursor.objects.get(source=vk_source)
    cursor.position = {"posts": cursor.position["posts"]}
    cursor.save()
    reply = fake_vk.add_comment(101, "Ответ в старой ветке", reply_to=1001)
    assert run_source(vk_source).created == 1
    assert Message.objects.filter(external_id=f"{OWNER}_101_{reply}").exists()


# --- out-of-order webhook deliveries -------------------------------------------------------------------------


def test_vk_original_comment_delivered_after_its_edit_does_not_undo_the_edit(vk_source: Source) -> None:
    """R-4: VK retries a failed delivery, so `wall_reply_new` can arrive after `wall_reply_edit`. The stored
    text stays the edited one; a later edit still replaces it."""
    client = Client()
    new = load_fixture("vk", "callback_wall_reply_new.json")
    edit = copy.deepcopy(new)
    edit.update(type="wall_reply_edit", event_id="edit-1")
    edit["object"]["text"] = "Исправлено: для детской поликлиники график тот же?"
    assert vk_event(client, edit).content == b"ok"
    assert vk_event(client, new).content == b"ok"  # the retried original, late
    stored = Message.objects.get(external_id=f"{OWNER}_102_1020")
    assert stored.text == "Исправлено: для детской поликлиники график тот же?"

    second = copy.deepcopy(edit)
    second["event_id"] = "edit-2"
    second["object"]["text"] = "Исправлено дважды"
    assert vk_event(client, second).content == b"ok"
    stored.refresh_from_db()
    assert stored.text == "Исправлено дважды"
    assert Message.objects.count() == 1


def test_telegram_original_message_delivered_after_its_edit_does_not_undo_the_edit(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: a webhook retry can bring the original message after `edited_message`; the edit wins by
    `edit_date`, whatever the order."""
    client = Client()
    original = fake_telegram.comment("Когда откроют поликлинику?")
    edited = dict(original, text="Когда откроют поликлинику в Гатчине?", edit_date=original["date"] + 60)
    assert tg_update(client, telegram_source, {"update_id": 901, "edited_message": edited}).status_code == 200
    assert tg_update(client, telegram_source, {"update_id": 900, "message": original}).status_code == 200
    stored = Message.objects.get(external_id=f"{GROUP}:{original['message_id']}")
    assert stored.text == "Когда откроют поликлинику в Гатчине?"
    later = dict(
        edited, text="Когда откроют поликлинику в Гатчине? Уже март.", edit_date=original["date"] + 120
    )
    assert tg_update(client, telegram_source, {"update_id": 902, "edited_message": later}).status_code == 200
    stored.refresh_from_db()
    assert stored.text == "Когда откроют поликлинику в Гатчине? Уже март."


# --- implausible dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", [0, 4102444800])  # 1970-01-01 and 2100-01-01
def test_a_message_dated_zero_or_in_the_future_is_kept_with_the_date_flagged(
    vk_source: Source, date: int
) -> None:
    """R-4, R-7.2: a date of 0 or far in the future is not a publication time (it would sort the message
    above everything and move deadlines counted from it): the message is kept, the date is dropped and the
    reason noted; the raw payload keeps what the network sent."""
    event = load_fixture("vk", "callback_wall_reply_new.json")
    event["object"]["date"] = date
    assert vk_event(Client(), event).content == b"ok"
    stored = Message.objects.get(external_id=f"{OWNER}_102_1020")
    assert stored.published_at is None
    assert "время публикации в сети 01.01.2100 03:00 неправдоподобно" in stored.parse_error or date == 0
    assert "неправдоподобно, вместо него показано время получения" in stored.parse_error
    assert stored.raw["date"] == date


# --- VK Callback API secret ----------------------------------------------------------------------------------


@pytest.mark.parametrize("given", [None, "", "anything"])
def test_vk_callback_without_a_configured_secret_is_refused(vk_source: Source, given: str | None) -> None:
    """R-4: a community whose `callback_secret` is not configured accepts nobody's events (anyone knowing
    the address could otherwise post comments into the inbox); the confirmation is still answered."""
    vk_source.config.pop("callback_secret")
    vk_source.save()
    client = Client()
    confirm = vk_event(client, {"type": "confirmation", "group_id": 200000001})
    assert confirm.content == b"c0nf1rm"
    event = load_fixture("vk", "callback_wall_reply_new.json")
    if given is None:
        del event["secret"]
    else:
        event["secret"] = given
    assert vk_event(client, event).status_code == 403
    assert not Message.objects.exists()


# --- a network answering something unexpected ------------------------------------------------------------


def test_an_unexpected_answer_from_one_network_does_not_stop_the_others(
    ok_source: Source, vk_source: Source, fake_ok: Any, fake_vk: FakeVK
) -> None:
    """R-4: `otklik ingest` reads every source; OK answering a list instead of an object stops only the OK
    source (its cursor keeps its place and shows the error), and VK is still read."""
    from django.core.management import call_command

    from tests.fakes.base import Response

    fake_ok.handle = lambda request: Response(body=[{"unexpected": True}])
    out = io.StringIO()
    call_command("ingest", stdout=out)
    assert Message.objects.filter(network="vk").count() == 5
    cursor = Cursor.objects.get(source=ok_source)
    assert cursor.position == {} and "unexpected error" in cursor.last_error
    assert "ошибка" in out.getvalue()


def test_vk_events_with_a_persons_text_that_intake_cannot_store_are_kept_in_the_quarantine(
    vk_source: Source,
) -> None:
    """R-4: a community may send comments on photos and videos, board posts and private messages through the
    Callback API. They are not messages we can answer in a wall thread yet, but what the person wrote is kept
    in the quarantine for the staff, not silently dropped; events without a person's text are just answered."""
    from otklik.intake.models import Quarantine

    client = Client()
    photo_comment = {
        "type": "photo_comment_new",
        "group_id": 200000001,
        "event_id": "photo-1",
        "v": "5.199",
        "secret": "demo-callback-secret",
        "object": {
            "id": 77,
            "from_id": 1111111,
            "date": 1732786000,
            "text": "На фото наша разбитая дорога 🚧",
            "photo_id": 457239017,
            "photo_owner_id": OWNER,
        },
    }
    assert vk_event(client, photo_comment).content == b"ok"
    assert vk_event(client, photo_comment).content == b"ok"  # a repeat is still kept once
    kept = Quarantine.objects.get()
    assert kept.source == vk_source and kept.kind == "photo_comment_new"
    assert "разбитая дорога 🚧" in kept.payload and "photo_comment_new" in kept.error
    join = dict(
        photo_comment, type="group_join", event_id="join-1", object={"user_id": 1, "join_type": "join"}
    )
    assert vk_event(client, join).content == b"ok"
    assert Quarantine.objects.count() == 1 and not Message.objects.exists()


def test_a_comment_added_while_another_was_deleted_is_found_by_the_hourly_full_read(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-4: one comment deleted and one added between two runs leave the post's count as it was, so the count
    alone says «nothing new». Within the hour the post is not read again; once its last full read is an hour
    old it is read in full and the new comment is stored."""
    run_source(vk_source)
    fake_vk.delete_comment(1002)
    added = fake_vk.add_comment(101, "Когда уберут снег во дворе на Советской, 5?", from_id=1111111)
    run_source(vk_source)
    assert not Message.objects.filter(external_id=f"{OWNER}_101_{added}").exists()
    cursor = Cursor.objects.get(source=vk_source)
    for seen in cursor.position["posts"].values():
        seen["checked"] -= 3600  # an hour later
    cursor.save()
    assert run_source(vk_source).error == ""
    stored = Message.objects.get(external_id=f"{OWNER}_101_{added}")
    assert stored.text == "Когда уберут снег во дворе на Советской, 5?"
    assert Message.objects.filter(external_id=f"{OWNER}_101_1002").exists()  # deleted there, kept here


def test_the_cursor_keeps_only_the_posts_of_the_window(vk_source: Source, fake_vk: FakeVK) -> None:
    """A post that left the window of the latest posts is not read again, so the cursor forgets it instead of
    growing with every post the community ever had."""
    run_source(vk_source)
    before = set(Cursor.objects.get(source=vk_source).position["posts"])
    assert before  # the fixture's posts with comments
    vk_source.config = {**vk_source.config, "posts_window": 1}
    vk_source.save()
    run_source(vk_source)
    position = Cursor.objects.get(source=vk_source).position
    newest = str(max(p["id"] for p in fake_vk.posts))
    assert set(position["posts"]) <= {newest} and set(position.get("threads", {})) <= {newest}
