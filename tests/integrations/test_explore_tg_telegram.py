"""Telegram as real traffic has it (R-4): albums, captions with text links, service messages, video notes, and
getUpdates pages that end inside an album — against the loopback fake Bot API."""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest
from django.test import Client

from otklik.intake.models import Message, Post, Source
from otklik.intake.pipeline import run_source
from tests.fakes.base import load_fixture
from tests.fakes.telegram import FakeTelegram
from tests.integrations.test_telegram import webhook

pytestmark = pytest.mark.django_db

GROUP = -1009876543210
_ids = itertools.count(5000)
FIXTURE = load_fixture("telegram", "updates.json")
POST_COPY = FIXTURE[1]["message"]  # the channel post's automatic copy in the group


def group_message(fake: FakeTelegram, **fields: Any) -> dict[str, Any]:
    """A message of a citizen in the discussion group, replying to the channel post's copy (310)."""
    group = fake.chats[GROUP]
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "from": {"id": 501009, "is_bot": False, "first_name": "Ирина", "username": "irina_gtn"},
        "chat": group,
        "date": int(time.time()),
        "message_thread_id": 310,
        "reply_to_message": POST_COPY,
    }
    message.update(fields)
    return message


def photo(file_id: str) -> list[dict[str, Any]]:
    return [
        {"file_id": f"{file_id}-s", "file_unique_id": f"{file_id}s", "width": 90, "height": 60},
        {"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 853},
    ]


def test_an_album_is_one_message_with_all_its_photos_and_the_caption(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: three photos sent together (one ``media_group_id``, the text as the caption of one of them) are one
    citizen's message, not three messages of which two are empty."""
    run_source(telegram_source)
    before = Message.objects.count()
    parts = [
        group_message(fake_telegram, media_group_id="13579", photo=photo("A1")),
        group_message(
            fake_telegram, media_group_id="13579", photo=photo("A2"), caption="Яма у дома 5 на Киргетова"
        ),
        group_message(fake_telegram, media_group_id="13579", photo=photo("A3")),
    ]
    for part in parts:
        fake_telegram.push("message", part)
    run_source(telegram_source)
    assert Message.objects.count() == before + 1
    album = Message.objects.latest("id")
    assert album.text == "Яма у дома 5 на Киргетова"
    assert [a["file_id"] for a in album.attachments] == ["A1", "A2", "A3"]
    assert album.post == Post.objects.get()


def test_a_page_of_updates_never_ends_inside_an_album(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """getUpdates gives at most 100 updates: an album cut by the page end is still one message."""
    run_source(telegram_source)
    before = Message.objects.count()
    for i in range(98):
        fake_telegram.push("message", group_message(fake_telegram, text=f"Вопрос {i}"))
    for n in range(3):
        fake_telegram.push(
            "message",
            group_message(
                fake_telegram,
                media_group_id="24680",
                photo=photo(f"B{n}"),
                caption="Подтопило" if n == 1 else None,
            ),
        )
    fake_telegram.push("message", group_message(fake_telegram, text="Последний"))
    report = run_source(telegram_source)
    assert report.error == ""
    assert Message.objects.count() == before + 98 + 1 + 1
    album = Message.objects.get(text="Подтопило")
    assert [a["file_id"] for a in album.attachments] == ["B0", "B1", "B2"]


def test_a_text_link_keeps_its_address(telegram_source: Source, fake_telegram: FakeTelegram) -> None:
    """A link under a word (``text_link`` entity) is not in the text itself: the curator must still see where
    it leads. Offsets are in UTF-16 units (the emoji counts as two)."""
    text = "👉 Вот здесь написано про мусор, и тут тоже"
    fake_telegram.push(
        "message",
        group_message(
            fake_telegram,
            text=text,
            entities=[
                {"type": "text_link", "offset": 3, "length": 9, "url": "https://gatchina.example/musor"},
                {"type": "bold", "offset": 13, "length": 8},
                {"type": "text_link", "offset": 35, "length": 8, "url": "https://t.me/some_chat/5"},
            ],
        ),
    )
    fake_telegram.push(
        "message",
        group_message(
            fake_telegram,
            photo=photo("C1"),
            caption="Смотрите видео",
            caption_entities=[{"type": "text_link", "offset": 10, "length": 5, "url": "https://youtu.be/x"}],
        ),
    )
    run_source(telegram_source)
    first = Message.objects.get(text__startswith="👉")
    assert first.text == (
        "👉 Вот здесь (https://gatchina.example/musor) написано про мусор, и тут тоже (https://t.me/some_chat/5)"
    )
    second = Message.objects.get(text__startswith="Смотрите")
    assert second.text == "Смотрите видео (https://youtu.be/x)"


def test_service_messages_are_not_citizens_messages(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """Somebody joining, leaving, a pinned message, a changed title: nothing for the curator to answer."""
    run_source(telegram_source)
    before = Message.objects.count()
    newcomer = {"id": 501010, "is_bot": False, "first_name": "Пётр"}
    for fields in (
        {"new_chat_members": [newcomer], "new_chat_member": newcomer, "new_chat_participant": newcomer},
        {"left_chat_member": newcomer},
        {"pinned_message": FIXTURE[2]["message"]},
        {"new_chat_title": "Новое название"},
    ):
        message = group_message(fake_telegram, **fields)
        message.pop("reply_to_message")
        message.pop("message_thread_id")
        fake_telegram.push("message", message)
    report = run_source(telegram_source)
    assert report.error == "" and report.quarantined == 0
    assert Message.objects.count() == before


def test_voice_video_notes_and_stickers_keep_their_content(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """A message without text is still a message: what it carries is kept for the curator."""
    for kind in ("voice", "video_note", "sticker"):
        fake_telegram.push(
            "message",
            group_message(fake_telegram, **{kind: {"file_id": f"{kind}-1", "file_unique_id": kind}}),
        )
    run_source(telegram_source)
    kinds = sorted(a["type"] for m in Message.objects.filter(text="") for a in m.attachments)
    assert kinds == ["sticker", "video_note", "voice"]


def test_album_parts_pushed_one_by_one_to_the_webhook_join_one_message(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """With a webhook every album part comes in its own call, in any order; a later caption edit of one part
    changes the album's text (R-4)."""
    client = Client()
    parts = [
        group_message(fake_telegram, media_group_id="97531", photo=photo("D1")),
        group_message(fake_telegram, media_group_id="97531", photo=photo("D2"), caption="Снег не убран"),
    ]
    for number, (kind, part) in enumerate([("message", parts[1]), ("message", parts[0])]):
        update = {"update_id": 910000000 + number, kind: part}
        assert webhook(client, telegram_source, update).status_code == 200
    edited = {**parts[1], "caption": "Снег не убран третий день", "edit_date": parts[1]["date"] + 60}
    assert (
        webhook(client, telegram_source, {"update_id": 910000005, "edited_message": edited}).status_code
        == 200
    )
    album = Message.objects.get()
    assert album.text == "Снег не убран третий день"
    assert [a["file_id"] for a in album.attachments] == ["D1", "D2"]
