"""Shared handling of pushed events: repeats ignored, unparseable bodies quarantined, answer after commit."""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, transaction

from otklik.intake.models import DeliveredEvent, Source
from otklik.intake.pipeline import IngestReport, ingest_payloads, quarantine

from .base import Payload


def decode_json(network: str, source: Source | None, body: bytes) -> dict[str, Any] | None:
    """The JSON object of the body, or ``None`` after putting the body in the quarantine: undecodable, or JSON
    that is no object (``[]``, ``null``, a bare string), which no network sends as an event."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        problem = f"malformed JSON: {exc}"
    else:
        if isinstance(data, dict):
            return data
        problem = f"webhook body is JSON {type(data).__name__}, not an object"
    with transaction.atomic():
        quarantine(network, source, Payload("webhook", body), problem)
    return None


def ingest_event(
    network: str, event_id: str, payload: Payload, parse: Any, source: Source | None
) -> IngestReport | None:
    """Store one pushed event exactly once; ``None`` when this ``event_id`` was already handled."""
    try:
        with transaction.atomic():
            if event_id:
                DeliveredEvent.objects.create(network=network, event_id=event_id[:200])
            return ingest_payloads(network, [payload], parse, source=source)
    except IntegrityError:
        if event_id and DeliveredEvent.objects.filter(network=network, event_id=event_id[:200]).exists():
            return None
        raise
