"""Which connector reads which source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Connector, ConnectorError

if TYPE_CHECKING:
    from otklik.intake.models import Source


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
    raise ConnectorError(f"no connector for network {network!r}", permanent=True)
