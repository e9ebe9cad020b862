"""Messages written by the government itself: our published answers and posts or comments by the bodies'
official accounts. They are stored like any message (the thread stays whole) but marked ``is_official`` and
kept out of the curator's inbox: nobody should be asked to answer the oblast's own answer.

Recognised, per page of new messages:
- the message is an answer we published (``Outbox.result_external_id``);
- its author is the community the source publishes as (VK ``group_id`` → author ``-<group id>``), the bot that
  publishes for the source (Telegram: the bot id is the token's number before the colon), or a body's active
  official account in ``org.OfficialAccount`` whose identifier is numeric or a VK ``club``/``public`` link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from otklik.integrations.base import source_setting

if TYPE_CHECKING:
    from .models import Source

_VK_COMMUNITY_LINK = re.compile(r"vk\.com/(?:club|public|event)(\d+)", re.I)


def _account_author_ids(network: str) -> set[str]:
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
        elif raw.lstrip("-").isdigit():
            ids.add(raw)
    return ids


def official_author_ids(network: str, source: Source | None) -> set[str]:
    ids = _account_author_ids(network)
    if source is not None:
        if network == "vk":
            group = str(source_setting(source, "group_id", "") or "").lstrip("-")
            if group.isdigit():
                ids.add(f"-{group}")
        elif network == "telegram":
            bot = str(source_setting(source, "token", "") or "").split(":", 1)[0]
            if bot.isdigit():
                ids.add(bot)
    return ids


def official_ids(network: str, rows: Sequence[tuple[int, str, str]], source: Source | None) -> list[int]:
    """Of new messages ``(pk, external id, author id)`` of one network, the ones the government wrote."""
    from .models import Outbox

    if not rows:
        return []
    authors = official_author_ids(network, source)
    found = {pk for pk, _ext, author in rows if author and author in authors}
    externals = [ext for _pk, ext, _author in rows]
    published: set[str] = set()
    for i in range(0, len(externals), 500):
        published.update(
            Outbox.objects.filter(
                message__network=network, result_external_id__in=externals[i : i + 500]
            ).values_list("result_external_id", flat=True)
        )
    found.update(pk for pk, ext, _author in rows if ext in published)
    return sorted(found)
