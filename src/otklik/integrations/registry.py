"""Which connector reads which source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Connector, ConnectorError

if TYPE_CHECKING:
    from otklik.intake.models import Source


# Networks with a connector of their own; any other network's site is read only as a feed (kind «лента RSS/Atom»).
API_READ = ("vk", "telegram", "ok", "youtube")
NO_CONNECTOR = "сообщения этого источника поступают импортом файла или вручную"


def reads(network: str, kind: str) -> bool:
    """Whether ingestion can read a source of this network and kind (R-4): a forum, a messenger or a review site
    has no API Otklik reads — its messages come as a feed, a file import or manual entry."""
    return network in API_READ or network == "feed" or kind in ("feed", "import", "manual")


def connector_for(source: Source) -> Connector:
    network = source.network
    if network == "vk":
        from .vk.connector import VKConnector

        return VKConnector(source)
    if network == "telegram":
        from .telegram.connector import TelegramConnector

        return TelegramConnector(source)
    if network == "ok":
        from .ok.connector import OKConnector

        return OKConnector(source)
    if network == "youtube":
        from .youtube.connector import YouTubeConnector

        return YouTubeConnector(source)
    if network == "feed" or source.kind == "feed":
        from .feeds.connector import FeedConnector

        return FeedConnector(source)
    raise ConnectorError(
        f"no connector for network {network!r} (source kind {source.kind!r})",
        permanent=True,
        people=f"для сети «{source.get_network_display()}» нет подключения: {NO_CONNECTOR}",
    )
