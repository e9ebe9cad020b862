"""Messages written by the government itself: our published answers and posts or comments by the bodies'
official accounts. They are stored like any message (the thread stays whole) but marked ``is_official`` and
kept out of the curator's inbox: nobody should be asked to answer the oblast's own answer.

Recognised, per page of new messages:
- the message is an answer we published in the last 90 days (``Outbox.result_external_id``);
- its author is the community the source publishes as (VK ``group_id`` → author ``-<group id>``), the bot that
  publishes for the source (Telegram: the bot id is the token's number before the colon), or a body's active
  official account in ``org.OfficialAccount`` whose identifier is numeric or a VK ``club``/``public`` link;
- under the Governor's posts (a source marked ``is_governor``, R-7.1), its author is the Governor's page itself,
  known from the source with no setting to add: the VK wall's owner (the community's number in «идентификатор в
  сети», or ``owner_id``), the Telegram channel writing in its discussion group (the channel of the source's posts,
  or a numeric «идентификатор в сети»). The press service answering under the post is not a resident's question.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from otklik.integrations.base import source_setting

if TYPE_CHECKING:
    from .models import Source

PUBLISHED_DAYS = 90  # answers sent this long ago or less are recognised when read back by their id
_VK_COMMUNITY_LINK = re.compile(r"vk\.com/(?:club|public|event)(\d+)", re.I)
_YOUTUBE_CHANNEL_LINK = re.compile(r"youtube\.com/channel/(UC[\w-]+)")


_ACCOUNTS_TTL = 10.0  # seconds: the directory of official accounts changes by hand, rarely
_accounts_cache: dict[str, tuple[float, set[str]]] = {}


def _account_author_ids(network: str) -> set[str]:
    """The author ids of the bodies' active official accounts in ``network`` (read at most every 10 s: one
    query less per page of messages)."""
    now = time.monotonic()
    cached = _accounts_cache.get(network)
    if cached is not None and now - cached[0] < _ACCOUNTS_TTL:
        return cached[1]
    ids = _read_account_author_ids(network)
    _accounts_cache[network] = (now, ids)
    return ids


def forget_accounts(**_: Any) -> None:
    _accounts_cache.clear()


def _read_account_author_ids(network: str) -> set[str]:
    from otklik.org.models import OfficialAccount

    ids: set[str] = set()
    for external_id, url in OfficialAccount.objects.filter(network=network, is_active=True).values_list(
        "external_id", "url"
    ):
        raw = external_id.strip()
        if network == "vk":
            match = _VK_COMMUNITY_LINK.search(url or "")
            number = raw.lstrip("-") if raw.lstrip("-").isdigit() else (match.group(1) if match else "")
            if number:
                ids.add(f"-{number}")  # VK writes a community's authorship as a negative id
        elif network == "youtube":
            # A channel id («UC…», as the API gives a comment's authorChannelId), typed or in the channel's link.
            match = _YOUTUBE_CHANNEL_LINK.search(url or "")
            channel = raw or (match.group(1) if match else "")
            if channel:
                ids.add(channel)
        elif raw.lstrip("-").isdigit():
            ids.add(raw)
    return ids


def official_author_ids(network: str, source: Source | None) -> set[str]:
    ids = set(_account_author_ids(network))
    if source is not None:
        if network == "vk":
            group = str(source_setting(source, "group_id", "") or "").lstrip("-")
            if group.isdigit():
                ids.add(f"-{group}")
            # The Governor's own page: the wall's owner writing there — the Governor on his personal page,
            # his community (its press service) under its posts — is the Governor's page itself, whose posts are
            # watched by `governor`, not messages for anybody to answer (visitors' posts and comments still are).
            if source.is_governor:
                from otklik.integrations.vk.connector import owner_id_of

                owner = owner_id_of(source)
                if owner:
                    ids.add(str(owner))
                configured = str(source_setting(source, "owner_id", "") or "")
                if configured.isascii() and configured.isdigit():  # a personal page set up as a community
                    ids.add(configured)
        elif network == "telegram":
            bot = str(source_setting(source, "token", "") or "").split(":", 1)[0]
            if bot.isdigit():
                ids.add(bot)
            if source.is_governor:
                ids.update(_governor_channels(source))
    return ids


def _governor_channels(source: Source) -> set[str]:
    """The Governor's Telegram channel (R-7.1), as its messages in the discussion group name their author (the
    channel's chat id, ``sender_chat``): a numeric «идентификатор в сети», and the channel of the posts read from
    the source (a post's id is «<channel id>:<message id>»)."""
    from .models import Post

    ids = {source.external_id.strip()} if source.external_id.strip().lstrip("-").isdigit() else set()
    recent = Post.objects.filter(source=source, network="telegram").order_by("-id")
    for external_id in recent.values_list("external_id", flat=True)[:20]:
        chat = external_id.split(":", 1)[0]
        if chat.lstrip("-").isdigit():
            ids.add(chat)
    return ids


def official_ids(network: str, rows: Sequence[tuple[int, str, str]], source: Source | None) -> list[int]:
    """Of new messages ``(pk, external id, author id)`` of one network, the ones the government wrote."""
    from .models import Outbox

    if not rows:
        return []
    authors = official_author_ids(network, source)
    # Our answers come back with the next readings of their threads: the ones sent in the last PUBLISHED_DAYS
    # are a small set, read once a page (cheaper than looking every new message up in the outbox).
    # No join on the message's network: ids of different networks have different shapes, and the set is small.
    published = set(
        Outbox.objects.filter(sent_at__gte=timezone.now() - timedelta(days=PUBLISHED_DAYS))
        .exclude(result_external_id="")
        .values_list("result_external_id", flat=True)
    )
    return sorted(pk for pk, ext, author in rows if (author and author in authors) or ext in published)
