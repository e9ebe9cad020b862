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

# The networks that live on their own domains (a link's host or any subdomain of it, e.g. www.vk.com, m.ok.ru).
# Forums, blogs, review sites, messengers and «другое» have no fixed host: any http(s) link is theirs.
NETWORK_DOMAINS: dict[str, tuple[str, ...]] = {
    Network.VK: ("vk.com", "vk.ru", "vkontakte.ru"),
    Network.OK: ("ok.ru", "odnoklassniki.ru"),
    Network.TELEGRAM: ("t.me", "telegram.me"),
    Network.YOUTUBE: ("youtube.com", "youtu.be"),
}
_VK_WALL = re.compile(r"wall(-?\d+)_(\d+)")
_TG_PRIVATE = re.compile(r"^/c/(\d+)/(?:\d+/)?(\d+)/?$")


def host_of(url: str) -> str:
    return (urlsplit(url.strip()).hostname or "").lower().rstrip(".")


def _on_domain(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith(f".{d}") for d in domains)


def network_of(url: str) -> str:
    host = host_of(url)
    for network, domains in NETWORK_DOMAINS.items():
        if _on_domain(host, domains):
            return str(network)
    return str(Network.OTHER)


def on_network(url: str, network: str) -> bool:
    """Whether a link can be of ``network``: on its domains, or any link for a network without fixed ones."""
    domains = NETWORK_DOMAINS.get(network)
    return domains is None or _on_domain(host_of(url), domains)


def link_mismatch(url: str, network: str) -> str:
    """Why a link cannot be a message of ``network`` (a Russian sentence for the form), or "" when it can."""
    if on_network(url, network):
        return ""
    domains, host = NETWORK_DOMAINS[network], host_of(url)
    label = Network(network).label
    detected = network_of(url)
    hint = f" или выберите сеть «{Network(detected).label}»" if detected != Network.OTHER else ""
    return (
        f"Ссылка ведёт на {host or 'неизвестный адрес'}, а выбрана сеть «{label}»: укажите ссылку на сообщение "
        f"в этой сети ({', '.join(domains)}){hint}."
    )


def external_id_of(url: str, network: str) -> str:
    """The id the network's connector would give this message, so a later fetch finds the same row."""
    parts = urlsplit(url.strip())
    if network == Network.VK:
        match = _VK_WALL.search(parts.path + "?" + parts.query)
        if match:
            reply = parse_qs(parts.query).get("reply", [""])[0]
            key = f"{match.group(1)}_{match.group(2)}"
            return f"{key}_{reply}" if reply.isdigit() else key
    if network == Network.YOUTUBE:
        comment = parse_qs(parts.query).get("lc", [""])[0]
        if comment:
            return comment  # the YouTube connector's id of a comment (``lc`` in its own links)
    if network == Network.TELEGRAM:
        match = _TG_PRIVATE.match(parts.path)
        if match:  # t.me/c/<id>/<message>: the chat is -100<id> in the Bot API, as the connector keys it
            return f"-100{match.group(1)}:{match.group(2)}"
    normalised = f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}" + (
        f"?{parts.query}" if parts.query else ""
    )
    if len(normalised) > 250:
        normalised = hashlib.sha256(normalised.encode()).hexdigest()
    return f"url:{normalised}"


def from_network(message: Message) -> bool:
    """Whether a stored message came from its network (a connector), not from a file import or manual entry:
    such a message has the network's own data (author id, attachments, source), which an entry must not erase."""
    raw = message.raw if isinstance(message.raw, dict) else {}
    return not (raw.get("entered_by_hand") or "import" in raw)


def enter_message(
    *,
    url: str,
    text: str,
    network: str = "",
    author_name: str = "",
    published_at: datetime | None = None,
) -> tuple[Message, str]:
    """Store a message entered by hand; returns it and what happened: ``created``, ``updated`` (it had been
    entered or imported before: a blank field keeps what was stored) or ``known`` (already received from its
    network: left as it is)."""
    network = network or network_of(url)
    external_id = external_id_of(url, network)
    with transaction.atomic():
        earlier = (
            Message.objects.select_for_update().filter(network=network, external_id=external_id[:300]).first()
        )
        if earlier is not None and from_network(earlier):
            return earlier, "known"
        parsed = ParsedMessage(
            network=network,
            external_id=external_id,
            url=url,
            author_name=author_name or (earlier.author_name if earlier else ""),
            author_id=earlier.author_id if earlier else "",
            author_url=earlier.author_url if earlier else "",
            text_raw=text,
            published_at=published_at or (earlier.published_at if earlier else None),
            metrics=dict(earlier.metrics or {}) if earlier else {},
            raw={"entered_by_hand": True, "url": url},
        )
        report = upsert([parsed])
    message = Message.objects.get(network=network, external_id=external_id[:300])
    return message, "created" if report.created == 1 else "updated"
