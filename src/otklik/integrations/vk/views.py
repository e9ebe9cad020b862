"""VK Callback API endpoint: confirmation string, ``secret`` check, repeated ``event_id`` ignored, "ok"."""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from otklik.intake.models import DeletedHow, DeliveredEvent, Source
from otklik.intake.pipeline import GONE, clear_deleted
from otklik.integrations.base import ConnectorError, Parsed, ParseError, Payload, source_setting
from otklik.integrations.webhooks import ingest_event

from . import schemas
from .client import API_BASE, VKClient
from .connector import VKConnector, owner_id_of, parse_wall_post

log = logging.getLogger(__name__)

COMMENT_EVENTS = {"wall_reply_new", "wall_reply_edit", "wall_reply_restore"}
DELETE_EVENT = "wall_reply_delete"
# An edit event's comment as VK has it now (read back with wall.getComment); versioned by the time of reading.
CURRENT = "wall_reply_current"
# VK waits for our "ok" only so long: reading a comment back must not hold the answer up.
READ_TIMEOUT = 5.0
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
_WHOLE = re.compile(r"-?[0-9]{1,18}")


def parse_event(payload: Payload) -> list[Parsed]:
    obj = payload.data
    if payload.kind == CURRENT:
        profiles, groups = schemas.directory(obj.get("_directory") or {})
        current = schemas.parse_comment(
            obj.get("item"), obj.get("owner_id"), obj.get("post_id"), profiles, groups
        )
        if current is None:
            return []
        current.revision = int(obj["read_at"])
        return [current]
    if payload.kind == DELETE_EVENT:
        raise ParseError("wall_reply_delete without integer owner_id, post_id and id")
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


def _community_number(value: Any) -> int:
    """A community's number as VK or the administrator wrote it: 200000001, "200000001" or "-200000001" (a wall's
    owner id); 0 when it is none."""
    if isinstance(value, bool):
        return 0
    text = str(value).strip() if isinstance(value, (int, str)) else ""
    return abs(int(text)) if _WHOLE.fullmatch(text) else 0


def _source_for(group_id: Any) -> Source | None:
    """The source of the community an event is for (R-4, R-7.4), found as reading and publishing find it: its
    «идентификатор в сети» or `owner_id` (`owner_id_of`, with or without the minus sign) or a `group_id` setting,
    a number or text. Of several, one with the Callback API's `callback_secret` set."""
    wanted = _community_number(group_id)
    if not wanted:
        return None
    found: list[Source] = []
    for source in Source.objects.filter(network="vk", is_active=True).exclude(config={}):
        configured = _community_number((source.config or {}).get("group_id"))
        if configured == wanted or (not configured and owner_id_of(source) == -wanted):
            found.append(source)
    return next((s for s in found if (s.config or {}).get("callback_secret")), found[0] if found else None)


def _refused(request: HttpRequest, why: str, status: int, answer: str) -> HttpResponse:
    """A request that is no event of a known community with its secret: nothing of it is stored (anybody can post
    here), the log says what and from where — never the body itself."""
    log.warning(
        "VK callback refused (%s): %d bytes from %s",
        why,
        len(request.body),
        request.META.get("REMOTE_ADDR", "?"),
    )
    return HttpResponse(answer, status=status, content_type="text/plain")


def secret_matches(given: Any, expected: str) -> bool:
    """Constant-time comparison of a secret as UTF-8 bytes: `hmac.compare_digest` refuses str with non-ASCII
    characters (a TypeError, a 500), and a secret may be written in any language."""
    text = "" if given is None else str(given)
    return hmac.compare_digest(
        text.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )


@csrf_exempt
@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    # The secret is inside the body: until the body is an event of a known community with its secret, it is from
    # anybody and stored nowhere (the quarantine is for what a real source sent, `ingest_event` below). VK retries
    # a delivery that is not answered «ok», so an event damaged on its way comes again.
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _refused(request, "not JSON", 400, "bad request")
    if not isinstance(body, dict):
        return _refused(request, f"JSON {type(body).__name__}, not an event object", 400, "bad request")
    source = _source_for(body.get("group_id"))
    if source is None:
        return _refused(request, f"unknown group {str(body.get('group_id'))[:40]!r}", 404, "unknown group")
    config = source.config or {}
    if body.get("type") == "confirmation":
        return HttpResponse(str(config.get("confirmation", "")), content_type="text/plain")
    expected = str(config.get("callback_secret") or "")
    # Without a configured secret anyone who knows the address could post comments here: refuse, as the
    # Telegram webhook does, until the secret set in the community's settings is in the source's config.
    if not expected:
        return _refused(request, f"no callback_secret in the config of source {source.pk}", 403, "forbidden")
    if not secret_matches(body.get("secret"), expected):
        return _refused(request, f"wrong secret for source {source.pk}", 403, "forbidden")
    kind = str(body.get("type", ""))
    if kind in COMMENT_EVENTS or kind in {"wall_post_new", DELETE_EVENT} or kind in UNSUPPORTED_TEXT_EVENTS:
        event_id = str(body.get("event_id", ""))
        obj = body.get("object")
        payload = Payload(kind, obj)
        if kind == "wall_reply_edit" and not _handled(event_id):
            payload = _current(source, obj, kind) or payload
        elif kind == DELETE_EVENT:
            # VK retries a failed delivery, so a deletion can come after the comment was restored: when VK
            # still shows the comment, what it shows is stored instead of a mark (no answer from VK: marked).
            still = _current(source, obj, kind) if not _handled(event_id) else None
            payload = still or _deletion(obj) or payload
        with transaction.atomic():
            result = ingest_event("vk", event_id, payload, parse_event, source)
            key = _comment_key(obj)
            if result is not None and kind == "wall_reply_restore" and key and not result.quarantined:
                clear_deleted("vk", [key])
        if result is None:
            log.info("VK callback event %s repeated, ignored", body.get("event_id"))
    else:
        log.info(
            "VK callback event %s of type %r for source %s ignored", body.get("event_id"), kind, source.pk
        )
    return HttpResponse("ok", content_type="text/plain")


def _handled(event_id: str) -> bool:
    return bool(event_id) and DeliveredEvent.objects.filter(network="vk", event_id=event_id[:200]).exists()


def _comment_key(obj: Any) -> str:
    """Our id of the comment an event is about; empty when the object does not name one."""
    if not isinstance(obj, dict):
        return ""
    owner, post, comment = obj.get("owner_id"), obj.get("post_id"), obj.get("id")
    if not (isinstance(owner, int) and isinstance(post, int) and isinstance(comment, int)):
        return ""
    if any(isinstance(v, bool) for v in (owner, post, comment)):
        return ""
    return schemas.comment_key(owner, post, comment)


def _deletion(obj: Any) -> Payload | None:
    """``wall_reply_delete`` (``{owner_id, id, deleter_id, post_id}``): the comment is marked, never deleted;
    ``None`` for an object that names no comment (the event is then kept in the quarantine)."""
    key = _comment_key(obj)
    if not key:
        return None
    deleter = obj.get("deleter_id")
    by = {key: str(deleter)} if isinstance(deleter, int) else {}
    return Payload(GONE, {"external_ids": [key], "how": DeletedHow.EVENT.value, "by": by})


def _current(source: Source, obj: Any, kind: str) -> Payload | None:
    """An edit event carries no time of its own, and VK retries a failed delivery, so an older edit can come
    after a newer one (and a deletion after a restore): the comment is read back from VK and what VK says now
    is stored. ``None`` when VK cannot tell (an error, the comment deleted): the event itself is stored."""
    if not _comment_key(obj):
        return None
    owner, post, comment = obj["owner_id"], obj["post_id"], obj["id"]
    client = VKClient(
        str(source_setting(source, "token", "")),
        api_base=str(source_setting(source, "api_base", API_BASE)),
        per_second=float(source_setting(source, "per_second", 3.0)),
        timeout=READ_TIMEOUT,
        retries_on_6=0,
    )
    try:
        read_at = int(time.time())
        item, directory = VKConnector(source, client).read_comment(owner, comment)
    except ConnectorError as exc:
        log.info(
            "VK comment %s_%s_%s (%s): not read back (%s), the event is stored as it came",
            owner,
            post,
            comment,
            kind,
            exc,
        )
        return None
    except Exception:  # a response shape we did not expect must not lose the event
        log.exception(
            "VK comment %s_%s_%s (%s): reading it back failed, the event is stored as it came",
            owner,
            post,
            comment,
            kind,
        )
        return None
    finally:
        client.close()
    data = {"owner_id": owner, "post_id": post, "item": item, "_directory": directory, "read_at": read_at}
    return Payload(CURRENT, data)
