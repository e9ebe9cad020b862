"""Copies of the photos and videos people attach to their messages (R-4: nothing lost).

A network keeps an attachment only as long as its author does: a deleted comment takes its photo of the
pothole with it. After a page of messages is stored, the worker downloads each new message's attachments
that carry a direct link (``url``) through :func:`otklik.intake.safety.fetch_attachment` (no private,
loopback or link-local targets unless ``OTKLIK_ALLOW_PRIVATE_FETCH``; size limit
``INTAKE_ATTACHMENT_MAX_MB``), keeps only what its first bytes show to be a photo or a video, and stores it
under ``messages/<message id>/`` in Django's default storage, with an :class:`AttachmentCopy` row (file,
kind, size, SHA-256). A download that fails leaves a row with ``error`` in Russian for the staff (the precise
cause goes to the log): the link to the original is still shown and nothing is retried forever.

A Telegram attachment has no link, only a ``file_id`` (``{"type": "photo", "file_id": ...}``): its key here
is ``tg-file:<type>/<file_id>`` (:func:`telegram_key`), and photos, videos and video notes are downloaded
through the bot of the message's source (``getFile``, then the Bot API's file URL, which holds the token and
is never stored: the copy's ``url`` is the key). Telegram gives bots files up to 20 MB. A 429, a 5xx or no
answer from Telegram is tried again with a growing pause (the copy's ``error`` says so) for a day after the
first failure. Voice messages, audio, stickers, documents and GIFs are not copied; the pages name them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from otklik.integrations.base import ConnectorError
from otklik.queueing import enqueue_with_transaction

from .models import AttachmentCopy, Message
from .safety import UnsafeURL, fetch_attachment, sniff

if TYPE_CHECKING:
    from otklik.integrations.telegram.connector import TelegramConnector

log = logging.getLogger(__name__)

TELEGRAM = "tg-file:"
TELEGRAM_COPIED = frozenset({"photo", "video", "video_note"})
_TELEGRAM_KIND = re.compile(r"[a-z_]{1,20}")
_TELEGRAM_FILE_ID = re.compile(r"[A-Za-z0-9_-]{1,500}")
RETRY_NOTE = "копия будет запрошена ещё раз"
RETRY_FOR = timedelta(days=1)  # from the first failure
# The pause before the next attempt: the time since the first failure, within these bounds.
RETRY_DELAY = (timedelta(minutes=1), timedelta(hours=1))


def enabled() -> bool:
    return bool(getattr(settings, "OTKLIK_DOWNLOAD_ATTACHMENTS", True))


def max_bytes() -> int:
    return int(getattr(settings, "INTAKE_ATTACHMENT_MAX_MB", 20)) * 1024 * 1024


def enqueue_downloads(message_ids: Iterable[int]) -> None:
    """Have the worker copy these messages' attachments once the surrounding transaction commits."""
    ids = list(dict.fromkeys(int(pk) for pk in message_ids))
    if not ids or not enabled():
        return
    from .tasks import download_attachments

    def send() -> None:
        for i in range(0, len(ids), 100):
            download_attachments.enqueue(ids[i : i + 100])

    enqueue_with_transaction(send)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, UnsafeURL):
        if "exceeds" in str(exc):
            return f"файл больше {max_bytes() // (1024 * 1024)} МБ, копия не сохранена"
        return "адрес файла не публичный или недопустимый, копия не сохранена"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"сеть ответила {exc.response.status_code}, копия не сохранена"
    return "файл не удалось скачать, копия не сохранена"


def telegram_key(kind: str, file_id: str) -> str:
    """The key of a Telegram file among a message's attachments and in :class:`AttachmentCopy.url`."""
    return f"{TELEGRAM}{kind}/{file_id}"


def telegram_file(key: str) -> tuple[str, str] | None:
    """``(type, file_id)`` of a :func:`telegram_key`, else ``None``."""
    if not key.startswith(TELEGRAM):
        return None
    kind, _, file_id = key.removeprefix(TELEGRAM).partition("/")
    return (
        (kind, file_id) if _TELEGRAM_KIND.fullmatch(kind) and _TELEGRAM_FILE_ID.fullmatch(file_id) else None
    )


def _key(attachment: Any) -> str:
    if not isinstance(attachment, dict):
        return ""
    url = attachment.get("url")
    if isinstance(url, str):
        return url if url.startswith(("http://", "https://")) else ""
    kind, file_id = attachment.get("type"), attachment.get("file_id")
    if isinstance(kind, str) and isinstance(file_id, str) and telegram_file(telegram_key(kind, file_id)):
        return telegram_key(kind, file_id)
    return ""


def links(attachments: Any) -> list[str]:
    """Direct links of a message's attachments, and keys of its Telegram files (:func:`telegram_key`), in the
    network's order, each once."""
    if not isinstance(attachments, list):
        return []
    return [key for key in dict.fromkeys(_key(a) for a in attachments) if key]


def copyable(attachments: Any) -> bool:
    """Whether a message has an attachment the worker copies."""
    return any(_copied(key) for key in links(attachments))


def _copied(key: str) -> bool:
    file = telegram_file(key)
    return file[0] in TELEGRAM_COPIED if file else not key.startswith(TELEGRAM)


def _telegram_error_text(exc: ConnectorError, *, again: bool) -> str:
    from otklik.integrations.telegram.client import MAX_FILE

    if exc.code == "too_big":
        return f"файл больше {MAX_FILE // (1024 * 1024)} МБ: Telegram не отдаёт его боту"
    if exc.code == "no_token":
        return "у источника не настроен токен бота Telegram, копия не сохранена"
    if exc.code == "no_source":
        return "сообщение не связано с источником Telegram, копия не сохранена"
    said = f"Telegram ответил {exc.code}" if isinstance(exc.code, int) else "Telegram не ответил"
    if again:
        return f"{said}, {RETRY_NOTE}"
    if not exc.permanent:
        return f"{said}, повторы в течение суток не помогли, копия не сохранена"
    return f"{said}, копия не сохранена"


def _to_retry(copy: AttachmentCopy) -> bool:
    return not copy.stored and copy.error.endswith(RETRY_NOTE)


def _telegram_of(message: Message) -> TelegramConnector:
    """The connector of the source the message came from: its bot is the one that may download the file."""
    from otklik.integrations.telegram.connector import TelegramConnector

    source = message.source
    if source is None or source.network != "telegram":
        raise ConnectorError(f"message {message.pk} has no Telegram source", permanent=True, code="no_source")
    return TelegramConnector(source)


def _save(copy: AttachmentCopy) -> None:
    if copy.pk is None:
        AttachmentCopy.objects.bulk_create([copy], ignore_conflicts=True)  # a parallel run stored it first
    else:  # a Telegram file tried again
        copy.save(update_fields=["stored", "kind", "size", "sha256", "error", "created_at"])


def _schedule_retry(message_id: int, delay: timedelta) -> None:
    from .tasks import download_attachments

    def send() -> None:
        download_attachments.using(run_after=timezone.now() + delay).enqueue([message_id])

    enqueue_with_transaction(send)


def download(message_id: int) -> int:
    """Copy the attachments of one message that have no copy (or failed attempt) yet, and the Telegram files
    whose last attempt is to be repeated; returns how many were stored now."""
    message = Message.objects.filter(pk=message_id).only("pk", "attachments", "source_id").first()
    if message is None:
        return 0
    copies = {c.url: c for c in AttachmentCopy.objects.filter(message_id=message.pk)}
    telegram: TelegramConnector | None = None
    retry: timedelta | None = None
    stored = 0
    try:
        for index, url in enumerate(links(message.attachments)):
            copy = copies.get(url)
            if not _copied(url) or len(url) > 2000 or (copy is not None and not _to_retry(copy)):
                continue
            copy = copy or AttachmentCopy(message_id=message.pk, url=url)
            now = timezone.now()
            try:
                file = telegram_file(url)
                if file is None:
                    data = fetch_attachment(url, max_bytes=max_bytes())
                else:
                    telegram = telegram or _telegram_of(message)
                    data = telegram.download_file(file[1], max_bytes=max_bytes())
            except ConnectorError as exc:
                log.warning(
                    "attachment %d of message %s (%s) not copied: %s", index, message.pk, url[:300], exc
                )
                since = now - copy.created_at if copy.pk is not None else timedelta(0)
                again = not exc.permanent and since < RETRY_FOR
                copy.error = _telegram_error_text(exc, again=again)
                if again:
                    delay = min(max(since, RETRY_DELAY[0]), RETRY_DELAY[1])
                    delay = max(delay, timedelta(seconds=exc.retry_after or 0))
                    retry = min(retry, delay) if retry is not None else delay
            except (UnsafeURL, httpx.HTTPError, ValueError) as exc:
                log.warning(
                    "attachment %d of message %s (%s) not copied: %s", index, message.pk, url[:300], exc
                )
                copy.error = _error_text(exc)
            else:
                kind = sniff(data[:16])
                if kind is None:
                    log.warning(
                        "attachment %d of message %s (%s) is not a photo or video: first bytes %r",
                        index,
                        message.pk,
                        url[:300],
                        data[:16],
                    )
                    copy.error = "это не фото и не видео, копия не сохранена"
                else:
                    copy.stored = default_storage.save(
                        f"messages/{message.pk}/{index}.{kind[1]}", ContentFile(data)
                    )
                    copy.kind, copy.size = kind[0], len(data)
                    copy.sha256 = hashlib.sha256(data).hexdigest()
                    copy.error, copy.created_at = "", now
                    stored += 1
            _save(copy)
    finally:
        if telegram is not None:
            telegram.client.close()
    if retry is not None:
        _schedule_retry(message.pk, retry)
    return stored
