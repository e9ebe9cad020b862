"""Telegram connector: long polling with ``offset`` or a webhook; replies with ``sendMessage`` +
``reply_parameters``."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx

from otklik.integrations.base import (
    MISSING_CREDENTIALS,
    ConnectorError,
    Page,
    Parsed,
    ParseError,
    Payload,
    PublishResult,
    as_dict,
    need,
    source_setting,
)

from . import schemas
from .client import API_BASE, MAX_FILE, MAX_TEXT, TelegramClient

if TYPE_CHECKING:
    from otklik.intake.models import Message, Source


# Telegram's refusal of a reply whose message is deleted: "Bad Request: message to be replied not found"
# (older servers), "Bad Request: replied message not found".
REPLY_GONE = re.compile(r"message to be replied not found|replied message not found", re.IGNORECASE)
ALLOWED = ["message", "edited_message", "channel_post", "edited_channel_post"]
ALBUM_SIZE = 10  # Telegram's limit of media in one album


def _group_albums(updates: list[Any]) -> list[Payload]:
    """One payload per update, except the parts of one album: one payload for them all, where the first is."""
    payloads: list[Payload] = []
    albums: dict[tuple[int, str], Payload] = {}
    for update in updates:
        album = schemas.album_of(update)
        if album is None:
            payloads.append(Payload("update", update))
        elif album in albums:
            albums[album].data.append(update)
        else:
            albums[album] = Payload("album", [update])
            payloads.append(albums[album])
    return [Payload("update", p.data[0]) if p.kind == "album" and len(p.data) == 1 else p for p in payloads]


class TelegramConnector:
    network = "telegram"

    def __init__(self, source: Source, client: TelegramClient | None = None) -> None:
        self.source = source
        self.client = client or TelegramClient(
            str(source_setting(source, "token", "")),
            api_base=str(source_setting(source, "api_base", API_BASE)),
            max_wait=float(source_setting(source, "max_wait", 5.0)),
        )

    def close(self) -> None:
        """Close the HTTP connections kept open for the next request (`run_source` and `publish_reply` do, after use)."""
        self.client.close()

    def fetch(self, cursor: dict[str, Any]) -> Iterator[Page]:
        if (self.source.config or {}).get("webhook_url"):
            return  # Telegram pushes to the webhook; getUpdates would only answer 409 Conflict
        offset = cursor.get("offset")
        while True:
            updates = self.client.call(
                "getUpdates", offset=offset, limit=100, timeout=0, allowed_updates=ALLOWED
            )
            if not isinstance(updates, list) or not updates:
                return
            ids = [
                u["update_id"] for u in updates if isinstance(u, dict) and isinstance(u.get("update_id"), int)
            ]
            if not ids:
                return
            # Asking with offset > update_id confirms these updates to Telegram: only after they are committed.
            offset = max(ids) + 1
            # The pipeline enqueues the copies of the photos and videos of the page's stored messages.
            yield Page(_group_albums(updates), {"offset": offset})

    def download_file(self, file_id: str, *, max_bytes: int) -> bytes:
        """A message's file through the bot: ``getFile`` gives its ``file_path``, then it is downloaded from
        ``<api_base>/file/bot<token>/<file_path>`` by :func:`otklik.intake.safety.fetch_attachment` (public
        addresses only, ``max_bytes``). That URL holds the token and never leaves this method: errors name the
        ``file_path``. Raises :class:`ConnectorError` (``code="too_big"`` over Telegram's 20 MB for bots, the
        HTTP status when the download failed) or ``UnsafeURL``."""
        from otklik.intake.safety import UnsafeURL, fetch_attachment

        if not self.client.token:
            raise ConnectorError(
                "Telegram getFile: no bot token configured",
                permanent=True,
                code="no_token",
                people=MISSING_CREDENTIALS,
            )
        try:
            info = as_dict(self.client.call("getFile", file_id=file_id))
        except ConnectorError as exc:
            if exc.code == 400 and "too big" in exc.message.lower():
                raise ConnectorError(exc.message, permanent=True, code="too_big") from exc
            raise
        size, path = info.get("file_size"), info.get("file_path")
        if isinstance(size, int) and size > MAX_FILE:
            raise ConnectorError(f"Telegram getFile: file of {size} bytes", permanent=True, code="too_big")
        if isinstance(size, int) and size > max_bytes:
            raise UnsafeURL(f"attachment of {size} bytes exceeds the limit of {max_bytes}")
        if not isinstance(path, str) or not path:
            raise ConnectorError("Telegram getFile returned no file_path", permanent=True)
        try:
            return fetch_attachment(self.client.file_url(path), max_bytes=max_bytes)
        except UnsafeURL as exc:
            raise UnsafeURL(self.client.scrub(str(exc))) from None
        except httpx.HTTPStatusError as exc:
            status = exc.response.status_code
            raise ConnectorError(
                f"Telegram file {path[:200]}: HTTP {status}",
                permanent=status != 429 and status < 500,
                code=status,
            ) from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise ConnectorError(
                f"Telegram file {path[:200]}: {type(exc).__name__}", retry_after=5.0
            ) from None

    def register_webhook(self, base_url: str) -> str:
        """``setWebhook``: Telegram sends this bot's updates to our endpoint with a secret token (made here
        and kept in the source's config unless one is set). Polling stops for this source. Returns the URL."""
        from django.urls import reverse

        config = dict(self.source.config or {})
        secret = str(config.get("webhook_secret") or secrets.token_urlsafe(32))  # A-Z a-z 0-9 _ -, 43 chars
        path = reverse("integrations:telegram_webhook", args=[self.source.pk])
        url = base_url.rstrip("/") + path
        self.client.call("setWebhook", url=url, secret_token=secret, allowed_updates=ALLOWED)
        config.update(webhook_secret=secret, webhook_url=url)
        self.source.config = config
        self.source.save(update_fields=["config"])
        return url

    def remove_webhook(self) -> None:
        """``deleteWebhook`` (updates not yet delivered stay with Telegram): back to polling from the cursor."""
        self.client.call("deleteWebhook", drop_pending_updates=False)
        config = dict(self.source.config or {})
        config.pop("webhook_url", None)
        self.source.config = config
        self.source.save(update_fields=["config"])

    def webhook_info(self) -> dict[str, Any]:
        return as_dict(self.client.call("getWebhookInfo"))

    def parse(self, payload: Payload) -> list[Parsed]:
        if payload.kind == "album":
            if not isinstance(payload.data, list) or not payload.data:
                raise ParseError("an album payload must be a list of updates")
            return self._parse_album(payload.data)
        if payload.kind != "update":
            raise ParseError(f"unknown Telegram payload kind {payload.kind!r}")
        if schemas.album_of(payload.data) is not None:
            return self._parse_album([payload.data])
        return schemas.parse_update(payload.data)

    def _parse_album(self, updates: list[Any]) -> list[Parsed]:
        """Parts of one album, joined with the parts stored before (an album can arrive in several webhook
        calls or straddle two pages of getUpdates)."""
        from otklik.intake.models import Message

        albums = {schemas.album_of(u) for u in updates}
        if len(albums) != 1 or None in albums:
            raise ParseError("an album payload must hold parts of one album")
        chat_id, group = next(iter(albums))  # type: ignore[misc]
        parts = [schemas.message_of(u) for u in updates]
        ids = [need(p, "message_id", int) for p in parts]
        # Album parts get consecutive ids (at most 10 of them): the stored album is among the neighbours.
        near = sorted({schemas.key(chat_id, i + d) for i in ids for d in range(-ALBUM_SIZE, ALBUM_SIZE + 1)})
        anchor = ""
        stored: list[dict[str, Any]] = []
        rows = Message.objects.filter(network=schemas.NETWORK, external_id__in=near).order_by("pk")
        for external_id, raw in rows.values_list("external_id", "raw"):
            if isinstance(raw, dict) and raw.get("media_group_id") == group:
                anchor, stored = external_id, schemas.album_parts(raw)
                break
        return schemas.parse_album([*stored, *parts], anchor)

    def publish_reply(self, message: Message, text: str, idempotency_key: str) -> PublishResult:
        """``sendMessage`` into the chat of ``message``, as a reply to it (R-8.7)."""
        if len(text) > MAX_TEXT:
            raise ConnectorError(
                f"Telegram text is {len(text)} characters, the limit is {MAX_TEXT}", permanent=True
            )
        try:
            chat_id, message_id = schemas.split_key(message.external_id)
        except ValueError as exc:
            raise ConnectorError(str(exc), permanent=True) from exc
        try:
            result = self.client.call(
                "sendMessage",
                chat_id=chat_id,
                text=text,
                reply_parameters={"message_id": message_id, "allow_sending_without_reply": False},
            )
        except ConnectorError as exc:
            # The message to answer is gone (its author or an admin deleted it): the refusal
            # ``integrations.publish`` documents, so the outbox marks it and tells the executor, never retries.
            if exc.code == 400 and REPLY_GONE.search(exc.message):
                raise ConnectorError(
                    f"Telegram message {message.external_id} is deleted in the network ({exc.message})",
                    permanent=True,
                    code="deleted",
                ) from exc
            raise
        if not isinstance(result, dict) or not isinstance(result.get("message_id"), int):
            raise ConnectorError("Telegram sendMessage returned no message", permanent=True, maybe_done=True)
        chat = as_dict(result.get("chat")) or {"id": chat_id}
        return PublishResult(
            url=schemas.link(chat, result["message_id"]),
            external_id=schemas.key(chat_id, result["message_id"]),
        )
