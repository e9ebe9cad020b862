"""Publishing an approved answer in the thread where the message was written (R-8.7).

``publish_reply`` is the one entry point the case workflow calls (through the outbox task, see
:mod:`otklik.intake.outbox`). Networks without a publishing API raise ``ConnectorError(permanent=True,
code="manual")``: the answer is then published by hand and confirmed with its link. A reply to a comment
deleted in the network raises ``ConnectorError(permanent=True, code="deleted")`` (VK asks the network once
more before saying so): the outbox marks the message deleted and tells the executor in Russian.
"""

from __future__ import annotations

import logging

from otklik.intake.models import Message, Source

from .base import ConnectorError, PublishResult, source_setting
from .registry import connector_for

__all__ = [
    "DELETED",
    "MANUAL_NETWORKS",
    "ConnectorError",
    "PublishResult",
    "can_publish",
    "missing_credential",
    "publish_reply",
]

log = logging.getLogger(__name__)

# ``ConnectorError.code`` of a reply refused because the message was deleted in the network.
DELETED = "deleted"

# Networks whose API takes a reply from us; the rest are published by hand (R-8.7 still applies).
API_NETWORKS = {"vk", "telegram", "youtube"}
MANUAL_NETWORKS = {"ok", "feed", "forum", "messenger", "reviews", "other"}
# Networks where repeating a request with the same idempotency key cannot publish twice.
IDEMPOTENT_NETWORKS = {"vk"}


# The setting each API network's connector publishes with: without it no request can publish (a YouTube source
# reads with an API key alone, and replies need the channel's OAuth token).
PUBLISH_CREDENTIAL = {"vk": "token", "telegram": "token", "youtube": "oauth_token"}


def missing_credential(source: Source) -> str:
    """The name of the setting ``source`` lacks to publish replies (``PUBLISH_CREDENTIAL``), or "" when it has it."""
    key = PUBLISH_CREDENTIAL.get(source.network)
    if key is None or str(source_setting(source, key, "") or "").strip():
        return ""
    return key


def can_publish(message: Message) -> bool:
    """Whether an approved answer to ``message`` goes out through the network's API (R-8.7); else the executor
    publishes it by hand, told so at the approval — not promised an automatic publication that cannot happen."""
    if message.network not in API_NETWORKS or message.source is None:
        return False
    missing = missing_credential(message.source)
    if missing:
        log.info(
            "source %s has no %r setting to publish with: message %s is published by hand",
            message.source_id,
            missing,
            message.pk,
        )
    return not missing


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
