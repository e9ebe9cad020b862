"""Copies of the photos and videos people attach to their messages (R-4: nothing lost).

A network keeps an attachment only as long as its author does: a deleted comment takes its photo of the
pothole with it. After a page of messages is stored, the worker downloads each new message's attachments
that carry a direct link (``url``) through :func:`otklik.intake.safety.fetch_attachment` (no private,
loopback or link-local targets unless ``OTKLIK_ALLOW_PRIVATE_FETCH``; size limit
``INTAKE_ATTACHMENT_MAX_MB``), keeps only what its first bytes show to be a photo or a video, and stores it
under ``messages/<message id>/`` in Django's default storage, with an :class:`AttachmentCopy` row (file,
kind, size, SHA-256). A download that fails leaves a row with ``error`` in Russian for the staff (the precise
cause goes to the log): the link to the original is still shown and nothing is retried forever.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from otklik.queueing import enqueue_with_transaction

from .models import AttachmentCopy, Message
from .safety import UnsafeURL, fetch_attachment, sniff

log = logging.getLogger(__name__)


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


def links(attachments: Any) -> list[str]:
    """Direct links of a message's attachments, in the network's order, each once."""
    if not isinstance(attachments, list):
        return []
    found = (str(a["url"]) for a in attachments if isinstance(a, dict) and isinstance(a.get("url"), str))
    return [url for url in dict.fromkeys(found) if url.startswith(("http://", "https://"))]


def download(message_id: int) -> int:
    """Copy the attachments of one message that have no copy (or failed attempt) yet; returns how many
    were stored now."""
    message = Message.objects.filter(pk=message_id).only("pk", "attachments").first()
    if message is None:
        return 0
    done = set(AttachmentCopy.objects.filter(message_id=message.pk).values_list("url", flat=True))
    stored = 0
    for index, url in enumerate(links(message.attachments)):
        if url in done or len(url) > 2000:
            continue
        copy = AttachmentCopy(message_id=message.pk, url=url)
        try:
            data = fetch_attachment(url, max_bytes=max_bytes())
        except (UnsafeURL, httpx.HTTPError, ValueError) as exc:
            log.warning("attachment %d of message %s (%s) not copied: %s", index, message.pk, url[:300], exc)
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
                stored += 1
        AttachmentCopy.objects.bulk_create([copy], ignore_conflicts=True)  # a parallel run stored it first
    return stored
