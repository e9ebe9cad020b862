"""Manual entry of a message by its link (R-4): for places without an API, or one a person saw first."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from django.db import transaction

from otklik.integrations.base import ParsedMessage

from .models import Message, Network
from .pipeline import upsert

_HOSTS = {
    "vk.com": Network.VK,
    "vk.ru": Network.VK,
    "m.vk.com": Network.VK,
    "ok.ru": Network.OK,
    "m.ok.ru": Network.OK,
    "t.me": Network.TELEGRAM,
    "telegram.me": Network.TELEGRAM,
    "youtube.com": Network.YOUTUBE,
    "www.youtube.com": Network.YOUTUBE,
    "m.youtube.com": Network.YOUTUBE,
    "youtu.be": Network.YOUTUBE,
}
_VK_WALL = re.compile(r"wall(-?\d+)_(\d+)")


def network_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return str(_HOSTS.get(host, Network.OTHER))


def external_id_of(url: str, network: str) -> str:
    """The id the network's connector would give this message, so a later fetch finds the same row."""
    parts = urlsplit(url.strip())
    if network == Network.VK:
        match = _VK_WALL.search(parts.path + "?" + parts.query)
        if match:
            reply = parse_qs(parts.query).get("reply", [""])[0]
            key = f"{match.group(1)}_{match.group(2)}"
            return f"{key}_{reply}" if reply.isdigit() else key
    normalised = f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}" + (
        f"?{parts.query}" if parts.query else ""
    )
    if len(normalised) > 250:
        normalised = hashlib.sha256(normalised.encode()).hexdigest()
    return f"url:{normalised}"


def enter_message(
    *,
    url: str,
    text: str,
    network: str = "",
    author_name: str = "",
    published_at: datetime | None = None,
) -> tuple[Message, bool]:
    network = network or network_of(url)
    external_id = external_id_of(url, network)
    parsed = ParsedMessage(
        network=network,
        external_id=external_id,
        url=url,
        author_name=author_name,
        text_raw=text,
        published_at=published_at,
        raw={"entered_by_hand": True, "url": url},
    )
    with transaction.atomic():
        report = upsert([parsed])
    return Message.objects.get(network=network, external_id=external_id[:300]), report.created == 1
