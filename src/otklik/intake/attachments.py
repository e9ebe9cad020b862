"""Copies of the photos and videos people attach to their messages (R-4: nothing lost).

A network keeps an attachment only as long as its author does: a deleted comment takes its photo of the
pothole with it. After a page of messages is stored, the worker downloads each new message's attachments
that carry a direct link (``url``) through :func:`otklik.intake.safety.fetch_attachment` (no private,
loopback or link-local targets unless ``OTKLIK_ALLOW_PRIVATE_FETCH``; size limit
``INTAKE_ATTACHMENT_MAX_MB``), keeps only what its first bytes show to be a photo or a video, and stores it
under ``messages/<message id>/`` in Django's default storage, with an :class:`AttachmentCopy` row (file,
kind, size, SHA-256). A download that fails leaves a row with ``error`` in Russian for the staff (the precise
cause goes to the log): the link to the original is still shown and nothing is retried forever.

A Telegram attachment has no link, only a ``file_id`` (``{"type": "photo", "file_id": ...,
"file_unique_id": ...}``): its key here is ``tg-file:<type>/<file_unique_id>`` (:func:`telegram_key`; the
``file_id`` of a message stored without it), the same for every bot and every delivery of the file, while a
``file_id`` differs from bot to bot and may change; photos, videos and video notes are downloaded by the
``file_id`` of the last delivery through the bot of the message's source (``getFile``, then the Bot API's file URL, which holds the token and
is never stored: the copy's ``url`` is the key). Telegram gives bots files up to 20 MB. A 429, a 5xx or no
answer from Telegram is tried again with a growing pause (the copy's ``error`` says so) for a day after the
first failure. Voice messages, audio, stickers, documents and GIFs are not copied; the pages name them.

A copy the media storage refuses to write (a full disk, no rights: any ``OSError`` of ``default_storage.save``)
is logged at ERROR with the path, what was written of it is removed, its row says why in Russian, and it is
tried again on the same growing pause for three days after the first failure (a full disk over a weekend); the
message's other files and the task's other messages are still tried.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from otklik.commandline import os_error_text
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
DISK_RETRY_FOR = timedelta(
    days=3
)  # a full media disk, from the first failure: a weekend before anyone frees it
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


def telegram_key(kind: str, file_unique_id: str) -> str:
    """The key of a Telegram file among a message's attachments and in :class:`AttachmentCopy.url`."""
    return f"{TELEGRAM}{kind}/{file_unique_id}"


def telegram_file(key: str) -> tuple[str, str] | None:
    """``(type, file_unique_id)`` of a :func:`telegram_key`, else ``None``."""
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
    unique = attachment.get("file_unique_id") or file_id  # a message stored before file_unique_id was kept
    if not (isinstance(kind, str) and isinstance(file_id, str) and isinstance(unique, str)):
        return ""
    good = telegram_file(telegram_key(kind, unique)) and _TELEGRAM_FILE_ID.fullmatch(file_id)
    return telegram_key(kind, unique) if good else ""


def telegram_file_ids(attachments: Any) -> dict[str, str]:
    """The ``file_id`` (what the bot downloads by) of each Telegram file's key among these attachments."""
    if not isinstance(attachments, list):
        return {}
    found = ((_key(a), a) for a in attachments if isinstance(a, dict) and not isinstance(a.get("url"), str))
    return {key: str(a["file_id"]) for key, a in found if key}


def links(attachments: Any) -> list[str]:
    """Direct links of a message's attachments, and keys of its Telegram files (:func:`telegram_key`), in the
    network's order, each once."""
    if not isinstance(attachments, list):
        return []
    return [key for key in dict.fromkeys(_key(a) for a in attachments) if key]


def copyable(attachments: Any) -> bool:
    """Whether a message has an attachment the worker copies."""
    return any(_copied(key) for key in links(attachments))


def needing_copies(attachments: dict[int, Any], created: Iterable[int]) -> list[int]:
    """Of these stored messages (id → attachments, as a list or its JSON text), those with a file the worker
    copies and has not tried yet: every new message's, and a stored message's when a repeat delivery brought a
    file it did not have (an album's later part, a replaced photo). A repeat delivery (an edited caption, a
    second bot in the group) of files already copied or being tried again enqueues nothing: their own attempts
    go on as scheduled."""
    new = set(created)
    keys: dict[int, list[str]] = {}
    for pk, value in attachments.items():
        if isinstance(value, str):
            if '"url"' not in value and '"file_id"' not in value:
                continue
            value = json.loads(value)
        found = [key for key in links(value) if _copied(key) and len(key) <= 2000]
        if found:
            keys[pk] = found
    stored = [pk for pk in keys if pk not in new]
    tried: set[tuple[int, str]] = set()
    for i in range(0, len(stored), 500):
        rows = AttachmentCopy.objects.filter(message_id__in=stored[i : i + 500]).values_list(
            "message_id", "url"
        )
        tried.update(rows)
    return [pk for pk, found in keys.items() if pk in new or any((pk, key) not in tried for key in found)]


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


def _disk_error_text(exc: OSError, *, again: bool) -> str:
    said = f"копия не записана на диск сервера: {os_error_text(exc, exc.filename)}"
    return f"{said}, {RETRY_NOTE}" if again else f"{said}, повторы в течение трёх суток не помогли"


def _store(message_id: int, index: int, extension: str, data: bytes) -> str:
    """Save a copy in the media storage under the name it returns; when the storage refuses (``OSError``), what
    was written of the file is removed before the error goes on. The name is made unique by a random part (not by
    the storage's own choice at save time), so the file removed is always this run's, never a parallel run's."""
    name = f"messages/{message_id}/{index}-{secrets.token_hex(4)}.{extension}"
    try:
        return default_storage.save(name, ContentFile(data))
    except OSError:
        try:
            if default_storage.exists(name):
                default_storage.delete(name)
        except OSError as exc:
            log.error("partial copy %s of message %s not removed: %s", name, message_id, exc)
        raise


def _where(name: str) -> str:
    try:
        return default_storage.path(name)
    except NotImplementedError:  # a storage without local files
        return name


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
    """Record the attempt. Two runs may copy the same message at once (a repeat delivery, a task taken up again
    after its worker seemed lost: `queueing.requeue_stuck_tasks`): the row written first stands, and a file this run
    stored that no row names is removed — a citizen's photo is never left on the disk without its row."""
    mine = copy.stored
    if copy.pk is None:
        AttachmentCopy.objects.bulk_create([copy], ignore_conflicts=True)  # a parallel run stored it first
        kept = (
            AttachmentCopy.objects.filter(message_id=copy.message_id, url=copy.url)
            .values_list("stored", flat=True)
            .first()
        )
    else:  # a file tried again: taken only while no parallel run has stored it meanwhile
        fields = ("stored", "kind", "size", "sha256", "error", "created_at")
        taken = AttachmentCopy.objects.filter(pk=copy.pk, stored="").update(
            **{name: getattr(copy, name) for name in fields}
        )
        kept = (
            mine
            if taken
            else AttachmentCopy.objects.filter(pk=copy.pk).values_list("stored", flat=True).first()
        )
    if mine and kept != mine:
        log.info("copy %s of message %s not kept: a parallel run stored %s", mine, copy.message_id, kept)
        try:
            default_storage.delete(mine)
        except OSError as exc:
            log.error("copy %s of message %s not removed: %s", mine, copy.message_id, exc)


def _schedule_retry(message_id: int, delay: timedelta) -> None:
    from .tasks import download_attachments

    def send() -> None:
        download_attachments.using(run_after=timezone.now() + delay).enqueue([message_id])

    enqueue_with_transaction(send)


def remove_stored_copy(sender: Any, instance: AttachmentCopy, **kwargs: Any) -> None:
    """`post_delete` of an `AttachmentCopy` (the message deleted in the admin, its copies with it by cascade): the
    file it names is removed from the storage once the deletion is committed — not left on the disk, and in every
    backup after it, with nothing pointing at it (personal data). Logged; a file already gone is no error."""
    name = instance.stored
    if not name:
        return

    def remove() -> None:
        try:
            default_storage.delete(name)
        except OSError as exc:
            log.error("copy %s of deleted message %s not removed: %s", name, instance.message_id, exc)
        else:
            log.info("copy %s of deleted message %s removed", name, instance.message_id)

    transaction.on_commit(remove)


def download(message_id: int) -> int:
    """Copy the attachments of one message that have no copy (or failed attempt) yet, and the Telegram files
    whose last attempt is to be repeated; returns how many were stored now."""
    message = Message.objects.filter(pk=message_id).only("pk", "attachments", "source_id").first()
    if message is None:
        return 0
    copies = {c.url: c for c in AttachmentCopy.objects.filter(message_id=message.pk)}
    file_ids = telegram_file_ids(message.attachments)
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
            since = now - copy.created_at if copy.pk is not None else timedelta(0)  # the first failure
            pause = min(max(since, RETRY_DELAY[0]), RETRY_DELAY[1])
            try:
                file = telegram_file(url)
                if file is None:
                    data = fetch_attachment(url, max_bytes=max_bytes())
                else:
                    telegram = telegram or _telegram_of(message)
                    data = telegram.download_file(file_ids[url], max_bytes=max_bytes())
            except ConnectorError as exc:
                log.warning(
                    "attachment %d of message %s (%s) not copied: %s", index, message.pk, url[:300], exc
                )
                again = not exc.permanent and since < RETRY_FOR
                copy.error = _telegram_error_text(exc, again=again)
                if again:
                    delay = max(pause, timedelta(seconds=exc.retry_after or 0))
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
                    try:
                        name = _store(message.pk, index, kind[1], data)
                    except OSError as exc:
                        log.error(
                            "attachment %d of message %s (%s, %d bytes) not stored in %s: %s",
                            index,
                            message.pk,
                            url[:300],
                            len(data),
                            _where(f"messages/{message.pk}"),
                            exc,
                        )
                        again = since < DISK_RETRY_FOR
                        copy.error = _disk_error_text(exc, again=again)
                        if again:
                            retry = min(retry, pause) if retry is not None else pause
                    else:
                        copy.stored, copy.kind, copy.size = name, kind[0], len(data)
                        copy.sha256 = hashlib.sha256(data).hexdigest()
                        copy.error, copy.created_at = "", now
                        stored += 1
            _save(copy)
    finally:
        if telegram is not None:
            telegram.close()
    if retry is not None:
        _schedule_retry(message.pk, retry)
    return stored
