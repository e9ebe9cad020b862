"""R-4: VK comments deleted or edited in the network, against the loopback fake VK.

A deleted comment is marked (``Message.deleted_at``: when we learnt it and how), never deleted: by the Callback
API's ``wall_reply_delete`` (``wall_reply_restore`` clears the mark) and by a complete read of a post that no
longer lists it. Edit events, which VK can deliver out of order, end with what VK has now."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client

from otklik.intake.models import Cursor, DeletedHow, DeliveredEvent, Message, Quarantine, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.vk.connector import PAGE
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db

OWNER = -200000001
TEXT_1001 = "Когда начнёт работать ФАП?"


def vk_event(client: Client, event: dict[str, Any]) -> Any:
    return client.post("/integrations/vk/callback/", data=json.dumps(event), content_type="application/json")


def event(kind: str, event_id: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "group_id": 200000001,
        "type": kind,
        "event_id": event_id,
        "v": "5.199",
        "object": obj,
        "secret": "demo-callback-secret",
    }


def delete_event(event_id: str, comment_id: int, deleter_id: int, post_id: int = 101) -> dict[str, Any]:
    return event(
        "wall_reply_delete",
        event_id,
        {"owner_id": OWNER, "id": comment_id, "deleter_id": deleter_id, "post_id": post_id},
    )


def comment(fake: FakeVK, comment_id: int) -> dict[str, Any]:
    return copy.deepcopy(next(c for c in fake.comments if c["id"] == comment_id))


def stored(comment_id: int, post_id: int = 101) -> Message:
    return Message.objects.get(external_id=f"{OWNER}_{post_id}_{comment_id}")


def deleted() -> set[str]:
    return set(Message.objects.filter(deleted_at__isnull=False).values_list("external_id", flat=True))


def an_hour_later(source: Source) -> None:
    """The cursor as it is an hour after the last full read: every post of the window is read in full."""
    cursor = Cursor.objects.get(source=source)
    for seen in cursor.position["posts"].values():
        seen["checked"] -= 3600
    cursor.save()


# --- Callback API: wall_reply_delete / wall_reply_restore -----------------------------------------------------


def test_a_delete_event_marks_the_comment_and_keeps_it(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: `wall_reply_delete` by the author marks the stored comment; its text and everything else stay.
    The same event delivered twice is handled once."""
    run_source(vk_source)
    fake_vk.delete_comment(1001)
    author = int(stored(1001).author_id)
    client = Client()
    for _ in range(2):
        assert vk_event(client, delete_event("del-1", 1001, author)).content == b"ok"
    message = stored(1001)
    assert message.deleted_at is not None
    assert message.deleted_how == DeletedHow.EVENT
    assert message.deleted_by == str(author)
    assert message.text.startswith(TEXT_1001)  # kept
    assert message.deletion_note().startswith("Удалено автором в сети ")
    assert deleted() == {f"{OWNER}_101_1001"}
    assert DeliveredEvent.objects.filter(event_id="del-1").count() == 1


def test_a_comment_deleted_by_the_community_is_not_said_to_be_deleted_by_its_author(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    fake_vk.delete_comment(1001)
    assert vk_event(Client(), delete_event("del-2", 1001, OWNER)).content == b"ok"
    note = stored(1001).deletion_note()
    assert note.startswith("Удалено в сети ") and "модератором сообщества" in note
    assert "Удалено автором" not in note


def test_a_delete_event_without_the_comment_is_kept_in_the_quarantine(vk_source: Source) -> None:
    run_source(vk_source)
    broken = event("wall_reply_delete", "del-3", {"owner_id": OWNER, "deleter_id": 1})
    assert vk_event(Client(), broken).content == b"ok"
    kept = Quarantine.objects.get()
    assert kept.kind == "wall_reply_delete" and "wall_reply_delete" in kept.error
    assert deleted() == set()


def test_a_restore_event_clears_the_mark(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: `wall_reply_restore` (the comment object again) takes the mark off."""
    run_source(vk_source)
    client = Client()
    before = comment(fake_vk, 1001)
    fake_vk.delete_comment(1001)
    vk_event(client, delete_event("del-4", 1001, 1))
    assert stored(1001).deleted_at is not None
    fake_vk.restore_comment(before)
    assert vk_event(client, event("wall_reply_restore", "res-4", before)).content == b"ok"
    message = stored(1001)
    assert (message.deleted_at, message.deleted_how, message.deleted_by) == (None, "", "")
    assert message.text.startswith(TEXT_1001)


def test_a_delete_event_delivered_after_the_restore_does_not_mark_the_comment(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-4: VK retries a failed delivery, so the deletion can come after the restore. The comment is there in
    VK: it is not marked (what VK shows is stored); while VK cannot be asked, the event is trusted."""
    run_source(vk_source)
    client = Client()
    before = comment(fake_vk, 1001)
    fake_vk.delete_comment(1001)
    fake_vk.restore_comment(before)
    vk_event(client, event("wall_reply_restore", "res-5", before))
    assert vk_event(client, delete_event("del-5", 1001, 1)).content == b"ok"  # the late delivery
    assert stored(1001).deleted_at is None
    assert stored(1001).text.startswith(TEXT_1001)
    fake_vk.fail("wall.getComment", http_status=502)
    assert vk_event(client, delete_event("del-6", 1001, 1)).content == b"ok"
    assert stored(1001).deleted_at is not None


# --- the full read of a post ------------------------------------------------------------------------------------


def test_the_full_read_marks_only_the_comments_that_are_gone(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: a top-level comment and a reply deleted in the network are marked by the hourly full read; a
    comment deleted with replies (VK keeps its placeholder) too; the others under the post are not."""
    run_source(vk_source)
    fake_vk.delete_comment(1001)  # top-level, no replies: gone from every listing
    fake_vk.delete_comment(1003)  # a reply in the thread of 1002
    an_hour_later(vk_source)
    assert run_source(vk_source).error == ""
    assert deleted() == {f"{OWNER}_101_1001", f"{OWNER}_101_1003"}
    assert stored(1001).deleted_how == DeletedHow.FULL_READ
    assert stored(1001).text.startswith(TEXT_1001)

    fake_vk.delete_comment(1002)  # it has a reply left (1004): VK lists it as a placeholder
    an_hour_later(vk_source)
    run_source(vk_source)
    assert deleted() == {f"{OWNER}_101_1001", f"{OWNER}_101_1002", f"{OWNER}_101_1003"}
    assert stored(1002).text  # the text we had is kept
    first = stored(1001).deleted_at
    an_hour_later(vk_source)
    run_source(vk_source)
    assert stored(1001).deleted_at == first  # marked once, when we first learnt it


def test_a_comment_of_a_post_outside_the_window_is_not_marked(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: a post that left the window of the latest posts is not read, so its comments are not judged."""
    run_source(vk_source)
    vk_source.config = {**vk_source.config, "posts_window": 1}  # only post 102, the newest
    vk_source.save()
    fake_vk.delete_comment(1001)  # under post 101
    an_hour_later(vk_source)
    assert run_source(vk_source).error == ""
    assert deleted() == set()


def test_a_reply_beyond_a_partly_shown_thread_is_not_marked(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: VK shows 10 replies of a thread with the comment; the rest are asked for only when the thread grew.
    A full read that did not ask for them does not take them for deleted."""
    root = fake_vk.add_comment(102, "Корневой комментарий")
    replies = [fake_vk.add_comment(102, f"ответ {i}", reply_to=root) for i in range(13)]
    run_source(vk_source)
    assert Message.objects.filter(reply_to__external_id=f"{OWNER}_102_{root}").count() == 13
    an_hour_later(vk_source)
    assert run_source(vk_source).error == ""
    assert deleted() == set()

    fake_vk.delete_comment(replies[-1])  # the thread shrank: read in full, and the reply is found gone
    an_hour_later(vk_source)
    run_source(vk_source)
    assert deleted() == {f"{OWNER}_102_{replies[-1]}"}


class ShiftingVK(FakeVK):
    """A comment of the first page is deleted while the read is on it: paging by offset then skips the first
    comment of the next page, which is still there."""

    victim = 0

    def _get_comments(self, p: dict[str, Any]) -> dict[str, Any]:
        result = super()._get_comments(p)
        if self.victim and p.get("offset") == "0" and not p.get("comment_id"):
            self.comments = [c for c in self.comments if c["id"] != self.victim]
            self.victim = 0
        return result


def test_a_paged_read_does_not_mark_a_comment_it_skipped(db: None) -> None:
    """R-4: more comments than a page; one on the first page is deleted during the read. The comment the
    shifted offset skipped is asked for on its own and is not marked; the deleted one is marked by the next
    full read."""
    with ShiftingVK() as fake:
        source = Source.objects.create(
            network="vk",
            kind=Source.Kind.COMMUNITY,
            title="Здравоохранение ЛО",
            external_id="200000001",
            config={"api_base": f"{fake.url}/method/", "token": fake.token, "per_second": 0},
        )
        ids = [fake.add_comment(102, f"Вопрос № {i}") for i in range(PAGE + 20)]
        run_source(source)
        assert Message.objects.filter(post__external_id=f"{OWNER}_102").count() == PAGE + 21
        fake.victim = ids[10]
        an_hour_later(source)
        assert run_source(source).error == ""
        assert deleted() == set()  # not the skipped one (it is still there), and the victim was listed
        for _ in range(2):  # the count changed: first read from the last comment, then in full
            an_hour_later(source)
            run_source(source)
        assert deleted() == {f"{OWNER}_102_{ids[10]}"}


# --- edits delivered out of order -------------------------------------------------------------------------------


def test_edits_delivered_out_of_order_end_with_the_networks_text(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: two `wall_reply_edit` events, the earlier retried after the later: each is read back from VK
    (`wall.getComment`), so the stored text is what VK has now, whatever the order of delivery."""
    run_source(vk_source)
    client = Client()
    first = comment(fake_vk, 1001) | {"text": "Когда начнёт работать ФАП в Лукашах?"}
    fake_vk.edit_comment(1001, "Когда начнёт работать ФАП в Лукашах? Уже декабрь.")
    second = comment(fake_vk, 1001)
    assert vk_event(client, event("wall_reply_edit", "edit-2", second)).content == b"ok"
    assert vk_event(client, event("wall_reply_edit", "edit-1", first)).content == b"ok"  # retried, late
    message = stored(1001)
    assert message.text == "Когда начнёт работать ФАП в Лукашах? Уже декабрь."
    assert message.author_name  # the read-back carries the author's name, which an event does not
    assert [c.params["comment_id"] for c in fake_vk.calls("wall.getComment")] == ["1001", "1001"]
    # A late original (`wall_reply_new`) does not undo the edit either.
    late = comment(fake_vk, 1001) | {"text": "Когда начнёт работать ФАП?"}
    assert vk_event(client, event("wall_reply_new", "new-1", late)).content == b"ok"
    assert stored(1001).text == "Когда начнёт работать ФАП в Лукашах? Уже декабрь."


def test_an_edit_that_cannot_be_read_back_stores_the_events_text(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-4: VK failing to answer `wall.getComment` loses nothing: the event's own text is stored."""
    run_source(vk_source)
    fake_vk.fail("wall.getComment", code=10)
    edited = comment(fake_vk, 1001) | {"text": "Исправлено: когда начнёт работать ФАП?"}
    assert vk_event(Client(), event("wall_reply_edit", "edit-3", edited)).content == b"ok"
    assert stored(1001).text == "Исправлено: когда начнёт работать ФАП?"
