"""Telegram updates -> our posts (channel posts) and messages (comments in the discussion group, chats)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from otklik.integrations.base import Parsed, ParsedMessage, ParsedPost, ParseError, need, utc_from_unix

NETWORK = "telegram"
MESSAGE_KINDS = ("message", "edited_message")
POST_KINDS = ("channel_post", "edited_channel_post")
# Fields of service messages (somebody joined or left, a message was pinned, the chat changed): events in the
# chat, not anything a person wrote to be answered.
SERVICE_FIELDS = frozenset(
    {
        "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo", "delete_chat_photo",
        "group_chat_created", "supergroup_chat_created", "channel_chat_created", "migrate_to_chat_id",
        "migrate_from_chat_id", "pinned_message", "message_auto_delete_timer_changed", "boost_added",
        "chat_background_set", "forum_topic_created", "forum_topic_edited", "forum_topic_closed",
        "forum_topic_reopened", "general_forum_topic_hidden", "general_forum_topic_unhidden",
        "video_chat_scheduled", "video_chat_started", "video_chat_ended", "video_chat_participants_invited",
        "proximity_alert_triggered", "write_access_allowed", "users_shared", "chat_shared",
        "giveaway_created", "giveaway_completed", "connected_website",
    }
)  # fmt: skip
# Kept with the message in ``raw`` under this key: the other messages of its album (one ``media_group_id``).
ALBUM_PARTS = "_album_parts"


def key(chat_id: int, message_id: int) -> str:
    return f"{chat_id}:{message_id}"


def split_key(external_id: str) -> tuple[int, int]:
    chat, _, message = external_id.rpartition(":")
    try:
        return int(chat), int(message)
    except ValueError:
        raise ValueError(f"not a Telegram external id: {external_id!r}") from None


def link(chat: dict[str, Any], message_id: int) -> str:
    username = chat.get("username")
    if username:
        return f"https://t.me/{username}/{message_id}"
    chat_id = str(chat.get("id", ""))
    if chat_id.startswith("-100"):
        return f"https://t.me/c/{chat_id[4:]}/{message_id}"
    return ""


def _attachments(msg: dict[str, Any]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    photos = [p for p in msg.get("photo") or [] if isinstance(p, dict)]
    if photos:
        best = max(photos, key=lambda p: int(p.get("width") or 0) * int(p.get("height") or 0))
        result.append(_file("photo", best))
    for kind in ("video", "video_note", "document", "voice", "audio", "animation", "sticker"):
        obj = msg.get(kind)
        if isinstance(obj, dict):
            result.append(_file(kind, obj))
    return result


def _file(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """A file of a message: ``file_id`` is what this bot downloads it by (another bot's differs, and it may
    change), ``file_unique_id`` is the same for every bot and delivery (the key of its copy)."""
    found = {"type": kind, "file_id": obj.get("file_id", "")}
    if isinstance(obj.get("file_unique_id"), str) and obj["file_unique_id"]:
        found["file_unique_id"] = obj["file_unique_id"]
    return found


def is_service(msg: dict[str, Any]) -> bool:
    """A service message: nobody wrote it (no text, no caption), it reports an event in the chat."""
    return not msg.get("text") and not msg.get("caption") and any(f in msg for f in SERVICE_FIELDS)


def _shared(msg: dict[str, Any]) -> str:
    """What a message without text shares, in words the staff read: a place on the map, a contact, a poll, a
    story (Bot API `Message`'s `location`, `venue`, `contact`, `poll`, `dice`, `story`); '' for none of them."""
    venue = msg.get("venue") if isinstance(msg.get("venue"), dict) else None
    spot = (venue or {}).get("location") if venue else msg.get("location")
    lines = []
    if venue:
        lines.append("Место: " + ", ".join(str(venue[k]) for k in ("title", "address") if venue.get(k)))
    if isinstance(spot, dict) and spot.get("live_period") and not venue:
        # a live location is edited with every move for hours: words that stay, not coordinates that change
        lines.append("Трансляция геопозиции — откройте сообщение в Telegram")
    elif isinstance(spot, dict) and all(
        isinstance(spot.get(k), int | float) for k in ("latitude", "longitude")
    ):
        lat, lon = float(spot["latitude"]), float(spot["longitude"])
        lines.append(
            f"Геопозиция: {lat:.6f}, {lon:.6f} (https://yandex.ru/maps/?pt={lon:.6f},{lat:.6f}&z=17)"
        )
    contact = msg.get("contact")
    if isinstance(contact, dict):
        name = " ".join(str(contact[k]) for k in ("first_name", "last_name") if contact.get(k))
        lines.append("Контакт: " + ", ".join(p for p in (name, str(contact.get("phone_number") or "")) if p))
    poll = msg.get("poll")
    if isinstance(poll, dict):
        options = [str(o.get("text", "")) for o in poll.get("options") or [] if isinstance(o, dict)]
        lines.append(f"Опрос: {poll.get('question', '')}" + (f" ({'; '.join(options)})" if options else ""))
    dice = msg.get("dice")
    if isinstance(dice, dict):
        lines.append(f"Игральный кубик {dice.get('emoji', '')}: {dice.get('value', '')}")
    if isinstance(msg.get("story"), dict):
        lines.append("Переслана история (сторис) — откройте в Telegram")
    return "\n".join(lines)


def _text(msg: dict[str, Any]) -> str:
    """The text or caption, with the address of each link hidden under words (``text_link``: the address is
    not in the text itself) written after them. Entity offsets count UTF-16 code units. A message of no text
    says what it shares instead (`_shared`)."""
    if msg.get("text") is not None:
        text, entities = msg.get("text"), msg.get("entities")
    else:
        text, entities = msg.get("caption"), msg.get("caption_entities")
    text = str(text or "")
    if not text:
        return _shared(msg)
    links = sorted(
        (
            (e["offset"] + e["length"], str(e["url"]))
            for e in entities or []
            if isinstance(e, dict)
            and e.get("type") == "text_link"
            and isinstance(e.get("offset"), int)
            and isinstance(e.get("length"), int)
            and e.get("url")
        ),
        reverse=True,
    )
    if not links:
        return text
    units = text.encode("utf-16-le", "surrogatepass")
    for end, url in links:
        at = min(max(end, 0), len(units) // 2) * 2
        units = units[:at] + f" ({url})".encode("utf-16-le") + units[at:]
    return units.decode("utf-16-le", "replace")


def _post_of_forward(msg: dict[str, Any]) -> str:
    """The channel post a discussion-group copy stands for (``is_automatic_forward``), or ''."""
    origin = msg.get("forward_origin")
    if msg.get("is_automatic_forward") and isinstance(origin, dict) and origin.get("type") == "channel":
        chat = origin.get("chat") or {}
        if isinstance(chat.get("id"), int) and isinstance(origin.get("message_id"), int):
            return key(chat["id"], origin["message_id"])
    return ""


def parse_channel_post(msg: Any) -> list[Parsed]:
    chat = need(msg, "chat", dict)
    message_id = need(msg, "message_id", int)
    chat_id = need(chat, "id", int)
    if is_service(msg):
        return []
    return [
        ParsedPost(
            network=NETWORK,
            external_id=key(chat_id, message_id),
            url=link(chat, message_id),
            text=_text(msg),
            published_at=utc_from_unix(need(msg, "date")),
            raw=msg,
        )
    ]


def parse_group_message(msg: Any) -> list[Parsed]:
    chat = need(msg, "chat", dict)
    message_id = need(msg, "message_id", int)
    chat_id = need(chat, "id", int)
    date = utc_from_unix(need(msg, "date"))
    if is_service(msg):
        return []
    channel_post = _post_of_forward(msg)
    if channel_post:
        # The channel post's automatic copy in the discussion group: the post people comment on.
        origin_chat = msg["forward_origin"]["chat"]
        return [
            ParsedPost(
                network=NETWORK,
                external_id=channel_post,
                url=link(origin_chat, msg["forward_origin"]["message_id"]),
                text=_text(msg),
                published_at=date,
                raw=msg,
            )
        ]
    author = msg.get("from") if isinstance(msg.get("from"), dict) else {}
    sender_chat = msg.get("sender_chat") if isinstance(msg.get("sender_chat"), dict) else None
    if sender_chat:  # written on behalf of a channel or the group itself
        author_id = str(sender_chat.get("id", ""))
        author_name = str(sender_chat.get("title", ""))
        author_url = f"https://t.me/{sender_chat['username']}" if sender_chat.get("username") else ""
    else:
        author_id = str(author.get("id", ""))
        author_name = " ".join(str(author.get(k, "")) for k in ("first_name", "last_name")).strip()
        author_url = f"https://t.me/{author['username']}" if author.get("username") else ""
    post_external_id = ""
    reply_to = ""
    parent = msg.get("reply_to_message")
    if isinstance(parent, dict) and isinstance(parent.get("message_id"), int):
        post_external_id = _post_of_forward(parent)
        if not post_external_id:
            reply_to = key(chat_id, parent["message_id"])
    return [
        ParsedMessage(
            network=NETWORK,
            external_id=key(chat_id, message_id),
            url=link(chat, message_id),
            author_id=author_id,
            author_name=author_name,
            author_url=author_url,
            text_raw=_text(msg),
            published_at=date,
            attachments=_attachments(msg),
            post_external_id=post_external_id,
            reply_to_external_id=reply_to,
            metrics={},
            raw=msg,
            revision=_revision(msg),
        )
    ]


def _revision(msg: dict[str, Any]) -> int | None:
    """When this text became current: the edit's time, else the message's own (webhook retries can deliver
    the original after its edited version)."""
    for field in ("edit_date", "date"):
        value = msg.get(field)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def parse_update(update: Any) -> list[Parsed]:
    need(update, "update_id", int)
    for kind in POST_KINDS:
        if kind in update:
            return parse_channel_post(update[kind])
    for kind in MESSAGE_KINDS:
        if kind in update:
            return parse_group_message(update[kind])
    if isinstance(update, dict) and len(update) == 1:
        raise ParseError("update without content")
    return []  # other update kinds (polls, member changes) are not messages to answer


def album_of(update: Any) -> tuple[int, str] | None:
    """``(chat id, media_group_id)`` when the update is a group message that is part of an album."""
    if not isinstance(update, dict):
        return None
    for kind in MESSAGE_KINDS:
        msg = update.get(kind)
        if isinstance(msg, dict):
            chat = msg.get("chat")
            group = msg.get("media_group_id")
            if (
                isinstance(chat, dict)
                and isinstance(chat.get("id"), int)
                and isinstance(group, str)
                and group
            ):
                return chat["id"], group
    return None


def message_of(update: Any) -> dict[str, Any]:
    need(update, "update_id", int)
    for kind in MESSAGE_KINDS:
        if kind in update:
            return need(update, kind, dict)  # type: ignore[no-any-return]
    raise ParseError("update without a message")


def parse_album(parts: list[dict[str, Any]], anchor: str = "") -> list[Parsed]:
    """The messages of one album (one ``media_group_id``) as one message, the way the citizen sent it: every
    part's photo or video, the caption (usually on one part) as its text. It is kept under ``anchor`` (the
    album's id stored before) or else its first part's id; ``raw`` keeps every part (:data:`ALBUM_PARTS`), so
    parts delivered later (another webhook call, the next page) join it. An edited part replaces its earlier
    version."""
    latest: dict[int, dict[str, Any]] = {}
    for part in parts:
        message_id = need(part, "message_id", int)
        earlier = latest.get(message_id)
        if earlier is None or (_revision(part) or 0) >= (_revision(earlier) or 0):
            latest[message_id] = part
    ordered = [latest[i] for i in sorted(latest)]
    parsed = [p for part in ordered for p in parse_group_message(part)]
    messages = [p for p in parsed if isinstance(p, ParsedMessage)]
    if len(messages) != len(ordered):  # copies of a channel album, or service messages: nothing to merge
        return parsed
    first = next((m for m in messages if m.external_id == anchor), messages[0])
    index = messages.index(first)
    revisions = [m.revision for m in messages if m.revision is not None]
    raw = {**ordered[index], ALBUM_PARTS: [p for i, p in enumerate(ordered) if i != index]}
    return [
        replace(
            first,
            text_raw="\n\n".join(m.text_raw for m in messages if m.text_raw.strip()),
            attachments=[a for m in messages for a in m.attachments],
            published_at=min(
                (m.published_at for m in messages if m.published_at), default=first.published_at
            ),
            post_external_id=first.post_external_id
            or next((m.post_external_id for m in messages if m.post_external_id), ""),
            reply_to_external_id=first.reply_to_external_id
            or next((m.reply_to_external_id for m in messages if m.reply_to_external_id), ""),
            raw=raw,
            revision=max(revisions) if revisions else None,
        )
    ]


def album_parts(raw: Any) -> list[dict[str, Any]]:
    """The parts of an album kept in a stored message's ``raw`` (see :func:`parse_album`)."""
    if not isinstance(raw, dict):
        return []
    rest = raw.get(ALBUM_PARTS)
    own = {k: v for k, v in raw.items() if k != ALBUM_PARTS}
    return [own, *(p for p in rest if isinstance(p, dict))] if isinstance(rest, list) else [own]
