"""VK Callback API endpoint: confirmation string, ``secret`` check, repeated ``event_id`` ignored, "ok"."""

from __future__ import annotations

import hmac
import logging
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


def parse_event(payload: Payload) -> list[Parsed]:
    obj = payload.data
    if payload.kind in COMMENT_EVENTS:
        parsed = schemas.parse_comment(obj)
        return [parsed] if parsed else []
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
    expected = str(config.get("callback_secret", ""))
    if expected and not hmac.compare_digest(str(body.get("secret", "")), expected):
        log.warning("VK callback for source %s with a wrong secret refused", source.pk)
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    kind = str(body.get("type", ""))
    if kind in COMMENT_EVENTS or kind == "wall_post_new":
        result = ingest_event(
            "vk", str(body.get("event_id", "")), Payload(kind, body.get("object")), parse_event, source
        )
        if result is None:
            log.info("VK callback event %s repeated, ignored", body.get("event_id"))
    return HttpResponse("ok", content_type="text/plain")
