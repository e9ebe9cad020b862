"""Publishing an approved answer in the thread where the message was written (R-8.7).

``publish_reply`` is the one entry point the case workflow calls (through the outbox task, see
:mod:`otklik.intake.outbox`). Networks without a publishing API raise ``ConnectorError(permanent=True,
code="manual")``: the answer is then published by hand and confirmed with its link. A reply to a comment
deleted in the network raises ``ConnectorError(permanent=True, code="deleted")`` (VK asks the network once
more before saying so): the outbox marks the message deleted and tells the executor in Russian.
"""

from __future__ import annotations

from otklik.intake.models import Message, Source

from .base import ConnectorError, PublishResult
from .registry import connector_for

__all__ = [
    "DELETED",
    "MANUAL_NETWORKS",
    "ConnectorError",
    "PublishResult",
    "can_publish",
    "publish_reply",
]

# ``ConnectorError.code`` of a reply refused because the message was deleted in the network.
DELETED = "deleted"

# Networks whose API takes a reply from us; the rest are published by hand (R-8.7 still applies).
API_NETWORKS = {"vk", "telegram", "youtube"}
MANUAL_NETWORKS = {"ok", "feed", "forum", "messenger", "reviews", "other"}
# Networks where repeating a request with the same idempotency key cannot publish twice.
IDEMPOTENT_NETWORKS = {"vk"}


def can_publish(message: Message) -> bool:
    return message.network in API_NETWORKS and message.source_id is not None


def _publishing_source(message: Message) -> Source:
    if message.source is not None:
        return message.source
    # A message that came by Callback API or manual entry: use an active source of the same network.
    source = Source.objects.filter(network=message.network, is_active=True).exclude(config={}).first()
    if source is None:
        raise ConnectorError(
            f"no {message.network} source is configured to publish with", permanent=True, code="manual"
        )
    return source


def publish_reply(message: Message, text: str, idempotency_key: str) -> PublishResult:
    """Publish ``text`` as a reply to ``message``; raises :class:`ConnectorError`."""
    if message.network not in API_NETWORKS:
        raise ConnectorError(
            f"{message.network} has no publishing API: publish by hand", permanent=True, code="manual"
        )
    if not text.strip():
        raise ConnectorError("empty answer", permanent=True)
    connector = connector_for(_publishing_source(message))
    try:
        return connector.publish_reply(message, text, idempotency_key)
    finally:
        connector.close()
