"""Telegram updates -> our posts (channel posts) and messages (comments in the discussion group, chats)."""

from __future__ import annotations

from typing import Any

from otklik.integrations.base import Parsed, ParsedMessage, ParsedPost, ParseError, need, utc_from_unix

NETWORK = "telegram"
MESSAGE_KINDS = ("message", "edited_message")
POST_KINDS = ("channel_post", "edited_channel_post")


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
        result.append({"type": "photo", "file_id": best.get("file_id", "")})
    for kind in ("video", "document", "voice", "audio", "animation", "sticker"):
        obj = msg.get(kind)
        if isinstance(obj, dict):
            result.append({"type": kind, "file_id": obj.get("file_id", "")})
    return result


def _post_of_forward(msg: dict[str, Any]) -> str:
    """The channel post a discussion-group copy stands for (``is_automatic_forward``), or ''."""
    origin = msg.get("forward_origin")
    if msg.get("is_automatic_forward") and isinstance(origin, dict) and origin.get("type") == "channel":
        chat = origin.get("chat") or {}
        if isinstance(chat.get("id"), int) and isinstance(origin.get("message_id"), int):
            return key(chat["id"], origin["message_id"])
    return ""


def parse_channel_post(msg: Any) -> ParsedPost:
    chat = need(msg, "chat", dict)
    message_id = need(msg, "message_id", int)
    chat_id = need(chat, "id", int)
    return ParsedPost(
        network=NETWORK,
        external_id=key(chat_id, message_id),
        url=link(chat, message_id),
        text=str(msg.get("text") or msg.get("caption") or ""),
        published_at=utc_from_unix(need(msg, "date")),
        raw=msg,
    )


def parse_group_message(msg: Any) -> list[Parsed]:
    chat = need(msg, "chat", dict)
    message_id = need(msg, "message_id", int)
    chat_id = need(chat, "id", int)
    date = utc_from_unix(need(msg, "date"))
    channel_post = _post_of_forward(msg)
    if channel_post:
        # The channel post's automatic copy in the discussion group: the post people comment on.
        origin_chat = msg["forward_origin"]["chat"]
        return [
            ParsedPost(
                network=NETWORK,
                external_id=channel_post,
                url=link(origin_chat, msg["forward_origin"]["message_id"]),
                text=str(msg.get("text") or msg.get("caption") or ""),
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
    text = msg.get("text") if msg.get("text") is not None else msg.get("caption")
    return [
        ParsedMessage(
            network=NETWORK,
            external_id=key(chat_id, message_id),
            url=link(chat, message_id),
            author_id=author_id,
            author_name=author_name,
            author_url=author_url,
            text_raw=str(text or ""),
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
            return [parse_channel_post(update[kind])]
    for kind in MESSAGE_KINDS:
        if kind in update:
            return parse_group_message(update[kind])
    if isinstance(update, dict) and len(update) == 1:
        raise ParseError("update without content")
    return []  # other update kinds (polls, member changes) are not messages to answer
