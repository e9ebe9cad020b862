"""Manual entry of a message by its link (R-4): for places without an API, or one a person saw first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from django.db import transaction

from otklik.integrations.base import ParsedMessage
from otklik.integrations.links import PREFIX, link_key, telegram_public, url_id, url_ids

from .models import Message, Network, Post
from .pipeline import upsert

# The networks that live on their own domains (a link's host or any subdomain of it, e.g. www.vk.com, m.ok.ru).
# Forums, blogs, review sites, messengers and «другое» have no fixed host: any http(s) link is theirs.
NETWORK_DOMAINS: dict[str, tuple[str, ...]] = {
    Network.VK: ("vk.com", "vk.ru", "vkontakte.ru"),
    Network.OK: ("ok.ru", "odnoklassniki.ru"),
    Network.TELEGRAM: ("t.me", "telegram.me"),
    Network.YOUTUBE: ("youtube.com", "youtu.be"),
}
# wall-1_2 (a post), wall-1_2?reply=3 and wall-1_2_r3 (``?w=wall-1_2_r3``, a comment opened over a page)
_VK_WALL = re.compile(r"wall(-?\d+)_(\d+)(?:_r(\d+))?")
_TG_PRIVATE = re.compile(r"^/c/(\d+)/(?:\d+/)?(\d+)/?$")


# The networks without fixed domains: a link of one of them may be stored in another (a blog's page as «другое»).
OPEN_NETWORKS = tuple(str(n) for n in Network if n not in NETWORK_DOMAINS)


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
            reply = match.group(3) or parse_qs(parts.query).get("reply", [""])[0]
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
    return url_id(url)  # the link's own key: the forms people paste of one page give one id


def from_network(message: Message) -> bool:
    """Whether a stored message came from its network (a connector), not from a file import or manual entry:
    such a message has the network's own data (author id, attachments, source), which an entry must not erase."""
    raw = message.raw if isinstance(message.raw, dict) else {}
    return not (raw.get("entered_by_hand") or "import" in raw)


def find_stored(url: str, network: str, external_id: str) -> Message | None:
    """The stored message this link names, however it came: under the id the link gives in ``network``, or
    as :func:`stored_by_link` finds it."""
    found = Message.objects.filter(network=network, external_id=external_id[:300]).first()
    if found is not None:
        return found
    return stored_by_link([(url, network)]).get((url, network))


def stored_by_link(links: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Message]:
    """Stored messages named by ``(link, network)`` pairs whose network's id the link does not give: entered by
    hand or imported under another form of the link (``url:`` ids; for a network without fixed domains, in any
    such network: «другое» and «блог» are one page), or delivered by a connector under the network's id and
    found by the link it stored (a public Telegram message or a comment under a channel's post, a blog's item).
    """
    links = list(dict.fromkeys(links))
    found: dict[tuple[str, str], Message] = {}
    # Entered or imported before, under any key this link has had.
    wanted: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for url, network in links:
        for net in OPEN_NETWORKS if network in OPEN_NETWORKS else (network,):
            for key in url_ids(url):
                wanted.setdefault((net, key), []).append((url, network))
    for net in {n for n, _ in wanted}:
        ids = sorted(k for n, k in wanted if n == net)
        for i in range(0, len(ids), 500):
            for message in Message.objects.filter(network=net, external_id__in=ids[i : i + 500]).order_by(
                "pk"
            ):
                for link in wanted[(net, message.external_id)]:
                    found.setdefault(link, message)
    # Delivered by a connector: found by its link.
    by_host: dict[str, list[tuple[str, str]]] = {}
    for url, network in links:
        if (url, network) in found:
            continue
        if network == Network.TELEGRAM:
            delivered = _telegram_by_link(url)
            if delivered is not None:
                found[(url, network)] = delivered
        elif network in OPEN_NETWORKS:
            try:
                by_host.setdefault(link_key(url).split("/", 1)[0], []).append((url, network))
            except ValueError:
                continue
    for host, pending in by_host.items():
        if not host:
            continue
        by_key = {link_key(url): (url, network) for url, network in pending}
        # Only a blog's feed is read by a connector among the networks without fixed domains.
        for message in Message.objects.filter(network=Network.FEED, url__icontains=host).order_by("pk"):
            try:
                named = by_key.get(link_key(message.url))
            except ValueError:
                continue
            if named is not None and not message.external_id.startswith(PREFIX):
                found.setdefault(named, message)
    return found


def _telegram_by_link(url: str) -> Message | None:
    public = telegram_public(url)
    if public is None:
        return None
    name, number, comment = public
    if comment is None:  # the connector's link of a message: t.me/<username>/<id> (telegram.schemas.link)
        return Message.objects.filter(
            network=Network.TELEGRAM, url__iexact=f"https://t.me/{name}/{number}"
        ).first()
    # t.me/<channel>/<post>?comment=<id>: message <id> of the channel's discussion group, under that post.
    post = Post.objects.filter(network=Network.TELEGRAM, url__iexact=f"https://t.me/{name}/{number}").first()
    if post is None:
        return None
    return (
        Message.objects.filter(network=Network.TELEGRAM, post=post, external_id__endswith=f":{comment}")
        .order_by("pk")
        .first()
    )


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
        earlier = find_stored(url, network, external_id)
        if earlier is not None:
            earlier = Message.objects.select_for_update().get(pk=earlier.pk)
            if from_network(earlier):
                return earlier, "known"
            # Entered or imported before under another form of the link: that row is updated.
            network, external_id = earlier.network, earlier.external_id
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
            # An import's row (the export's own columns: department, executor, answers …) stays with it.
            raw={
                **(earlier.raw if earlier and isinstance(earlier.raw, dict) else {}),
                "entered_by_hand": True,
                "url": url,
            },
        )
        report = upsert([parsed])
    message = Message.objects.get(network=network, external_id=external_id[:300])
    return message, "created" if report.created == 1 else "updated"
