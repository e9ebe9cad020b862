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
