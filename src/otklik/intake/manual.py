"""Manual entry of a message by its link (R-4): for places without an API, or one a person saw first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar
from urllib.parse import parse_qs, urlsplit

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from otklik.integrations.base import ParsedMessage
from otklik.integrations.links import PREFIX, link_key, telegram_public, url_id, url_ids

from .models import Message, Network, Post
from .pipeline import upsert
from .text import link_text

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
    return (urlsplit(link_text(url)).hostname or "").lower().rstrip(".")


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
    """The id the network's connector would give this message, so a later fetch finds the same row. A link read
    as people paste it (`link_text`: an invisible character after «?reply=3» would name the post)."""
    parts = urlsplit(link_text(url))
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
    telegram: list[tuple[str, str]] = []
    for url, network in links:
        if (url, network) in found:
            continue
        if network == Network.TELEGRAM:
            telegram.append((url, network))
        elif network in OPEN_NETWORKS:
            try:
                by_host.setdefault(link_key(url).split("/", 1)[0], []).append((url, network))
            except ValueError:
                continue
    found.update(_telegram_by_link(telegram))
    for host, pending in by_host.items():
        if not host:
            continue
        by_key = {link_key(url): (url, network) for url, network in pending}
        # Among the networks without fixed domains only feeds (a blog's, a forum's, a review site's …) are read
        # by a connector, each stored in its source's network; the entries of this and earlier imports and hand
        # entries (`url:` ids) are not deliveries and are left out by the query.
        delivered = Message.objects.filter(network__in=OPEN_NETWORKS, url__icontains=host).exclude(
            external_id__startswith=PREFIX
        )
        for message in delivered.order_by("pk"):
            try:
                named = by_key.get(link_key(message.url))
            except ValueError:
                continue
            if named is not None:
                found.setdefault(named, message)
    return found


# Links looked up in one query (an IN list of this many, well under SQLite's 32 766 parameters).
LOOKUP_CHUNK = 500
T = TypeVar("T")


def _telegram_by_link(links: list[tuple[str, str]]) -> dict[tuple[str, str], Message]:
    """Messages a Telegram bot delivered, named by public links: t.me/<username>/<id> is the connector's link of
    the message (``telegram.schemas.link``); t.me/<channel>/<post>?comment=<id> is message <id> of the channel's
    discussion group under that post. A few queries for any number of links, each on the index of the link in
    lower case (``message_network_url_lower``, ``post_network_url_lower``): a username's case does not matter."""
    messages: dict[str, list[tuple[str, str]]] = {}  # the message's link in lower case -> who names it
    comments: dict[str, list[tuple[tuple[str, str], int]]] = {}  # the post's link in lower case -> comments
    for link in links:
        public = telegram_public(link[0])
        if public is None:
            continue
        name, number, comment = public  # the name is in lower case already (links.link_key)
        own = f"https://t.me/{name}/{number}"
        if comment is None:
            messages.setdefault(own, []).append(link)
        else:
            comments.setdefault(own, []).append((link, comment))
    found: dict[tuple[str, str], Message] = {}
    for chunk in _chunks(sorted(messages)):
        for message in (
            Message.objects.annotate(url_lower=Lower("url"))
            .filter(network=Network.TELEGRAM, url_lower__in=chunk)
            .order_by("pk")
        ):
            for link in messages.get(message.url.lower(), []):
                found.setdefault(link, message)
    post_of: dict[str, int] = {}  # the post's link in lower case -> the post (the first stored)
    for chunk in _chunks(sorted(comments)):
        for pk, url in (
            Post.objects.annotate(url_lower=Lower("url"))
            .filter(network=Network.TELEGRAM, url_lower__in=chunk)
            .order_by("pk")
            .values_list("pk", "url")
        ):
            post_of.setdefault(url.lower(), pk)
    wanted: dict[tuple[int, str], list[tuple[str, str]]] = {}  # (post, comment id) -> who names it
    for url, named in comments.items():
        for link, comment_no in named if url in post_of else []:
            wanted.setdefault((post_of[url], str(comment_no)), []).append(link)
    keys = sorted(wanted)
    for i in range(0, len(keys), LOOKUP_CHUNK // 2):  # two parameters a comment
        which = Q()
        for post, comment_id in keys[i : i + LOOKUP_CHUNK // 2]:
            which |= Q(post_id=post, external_id__endswith=f":{comment_id}")
        for reply in Message.objects.filter(which, network=Network.TELEGRAM).order_by("pk"):
            key = (reply.post_id or 0, reply.external_id.rpartition(":")[2])
            for link in wanted.get(key, []):
                found.setdefault(link, reply)
    return found


def _chunks(items: list[T]) -> Iterable[list[T]]:
    for i in range(0, len(items), LOOKUP_CHUNK):
        yield items[i : i + LOOKUP_CHUNK]


def in_case_ids(message_ids: list[int]) -> set[int]:
    """Of these messages, the ones already in a case: entering or importing them again leaves them as they are."""
    from otklik.cases.models import CaseMessage

    found: set[int] = set()
    for chunk in _chunks(message_ids):
        found.update(CaseMessage.objects.filter(message_id__in=chunk).values_list("message_id", flat=True))
    return found


def enter_message(
    *,
    url: str,
    text: str,
    network: str = "",
    author_name: str = "",
    published_at: datetime | None = None,
) -> tuple[Message, str]:
    """Store a message entered by hand; returns it and what happened: ``created``, ``updated`` (it had been
    entered or imported before: a blank field keeps what was stored), ``known`` (already received from its
    network: left as it is) or ``in_case`` (entered before and already in work: left as it is, so the case's
    message does not turn into another one typed under the same link, e.g. a forum thread's)."""
    network = network or network_of(url)
    external_id = external_id_of(url, network)
    with transaction.atomic():
        earlier = find_stored(url, network, external_id)
        if earlier is not None:
            earlier = Message.objects.select_for_update().get(pk=earlier.pk)
            if from_network(earlier):
                return earlier, "known"
            if in_case_ids([earlier.pk]):
                return earlier, "in_case"
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
