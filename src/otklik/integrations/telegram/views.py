"""Telegram webhook: ``X-Telegram-Bot-Api-Secret-Token`` checked, repeated ``update_id`` ignored."""

from __future__ import annotations

import hmac
import logging
from contextlib import closing

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otklik.intake.models import Source
from otklik.integrations.base import Payload
from otklik.integrations.webhooks import decode_json, ingest_event

from .connector import TelegramConnector

log = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, source_id: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=source_id, network="telegram", is_active=True)
    expected = str((source.config or {}).get("webhook_secret", ""))
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    # Without a configured secret anyone could post updates here: refuse rather than trust. Compared as UTF-8
    # bytes: `hmac.compare_digest` raises on str with a non-ASCII character (a header byte above 0x7F).
    if not expected or not hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8")
    ):
        log.warning(
            "Telegram webhook for source %s with a wrong secret token refused: %d bytes from %s",
            source.pk,
            len(request.body),
            request.META.get("REMOTE_ADDR", "?"),
        )
        return HttpResponse(status=403)
    update = decode_json("telegram", source, request.body)
    if update is None:
        return HttpResponse(status=200)
    update_id = update.get("update_id") if isinstance(update, dict) else None
    event_id = f"{source.pk}:{update_id}" if isinstance(update_id, int) else ""
    # The pipeline enqueues the copies of the message's photos and videos with it.
    with closing(TelegramConnector(source)) as connector:  # only its parser is used: no request is made
        stored = ingest_event("telegram", event_id, Payload("update", update), connector.parse, source)
    if stored is None:
        log.info("Telegram update %s repeated, ignored", event_id)
    return HttpResponse(status=200)
