"""VK Callback API endpoint: confirmation string, ``secret`` check, repeated ``event_id`` ignored, "ok"."""

from __future__ import annotations

import hmac
import logging
import time
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otklik.intake.models import Source
from otklik.integrations.base import Parsed, ParseError, Payload
from otklik.integrations.webhooks import decode_json, ingest_event

from . import schemas
from .connector import parse_wall_post

log = logging.getLogger(__name__)

COMMENT_EVENTS = {"wall_reply_new", "wall_reply_edit", "wall_reply_restore"}
# Events that carry what a person wrote but have no place in our model yet (comments on photos, videos, goods,
# discussion boards; private messages to the community): kept in the quarantine for the staff, never dropped.
UNSUPPORTED_TEXT_EVENTS = {
    "photo_comment_new",
    "photo_comment_edit",
    "video_comment_new",
    "video_comment_edit",
    "market_comment_new",
    "market_comment_edit",
    "board_post_new",
    "board_post_edit",
    "message_new",
}


def parse_event(payload: Payload) -> list[Parsed]:
    obj = payload.data
    if payload.kind in COMMENT_EVENTS:
        parsed = schemas.parse_comment(obj)
        if parsed is None:
            return []
        # Events can come out of order (VK retries a failed delivery): an edit carries no time of its own, so
        # it is versioned by its arrival, the original by the comment's date; the later version is kept.
        date = obj.get("date") if isinstance(obj, dict) else None
        edited = payload.kind == "wall_reply_edit"
        parsed.revision = int(time.time()) if edited or not isinstance(date, int) else date
        return [parsed]
    if payload.kind == "wall_post_new":
        return parse_wall_post(obj, {}, {})
    raise ParseError(f"unsupported VK event {payload.kind!r}")


def _source_for(group_id: Any) -> Source | None:
    if not isinstance(group_id, int):
        return None
    for source in Source.objects.filter(network="vk", is_active=True).exclude(config={}):
        config = source.config or {}
        if config.get("group_id") == group_id or config.get("owner_id") == -group_id:
            return source
    return None


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    body = decode_json("vk", None, request.body)
    if not isinstance(body, dict):
        # VK pauses delivery after repeated errors; the payload is kept in the quarantine instead.
        return HttpResponse("ok", content_type="text/plain")
    source = _source_for(body.get("group_id"))
    if source is None:
        log.warning("VK callback for unknown group %r refused", body.get("group_id"))
        return HttpResponse("unknown group", status=404, content_type="text/plain")
    config = source.config or {}
    if body.get("type") == "confirmation":
        return HttpResponse(str(config.get("confirmation", "")), content_type="text/plain")
    expected = str(config.get("callback_secret") or "")
    # Without a configured secret anyone who knows the address could post comments here: refuse, as the
    # Telegram webhook does, until the secret set in the community's settings is in the source's config.
    if not expected:
        log.warning("VK callback for source %s refused: no callback_secret in the source's config", source.pk)
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    if not hmac.compare_digest(str(body.get("secret", "")), expected):
        log.warning("VK callback for source %s with a wrong secret refused", source.pk)
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    kind = str(body.get("type", ""))
    if kind in COMMENT_EVENTS or kind == "wall_post_new" or kind in UNSUPPORTED_TEXT_EVENTS:
        result = ingest_event(
            "vk", str(body.get("event_id", "")), Payload(kind, body.get("object")), parse_event, source
        )
        if result is None:
            log.info("VK callback event %s repeated, ignored", body.get("event_id"))
    else:
        log.info(
            "VK callback event %s of type %r for source %s ignored", body.get("event_id"), kind, source.pk
        )
    return HttpResponse("ok", content_type="text/plain")
