"""Demo sources pointing at the loopback fakes (``otklik fake_networks``), added by ``otklik demo``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from .imports import ensure_default_mappings
from .models import Message, Source

HOST = "127.0.0.1"
DEMO_PORTS = {"vk": 8701, "telegram": 8702, "ok": 8703, "youtube": 8704, "feed": 8705}
GOVERNOR_TITLE = "Губернатор Ленинградской области (ВКонтакте, демо)"
# The Governor's community: its demo posts are stored by `governor.demo`; the fake VK serves them from there.
GOVERNOR_GROUP = 200000099


def _url(network: str) -> str:
    return f"http://{HOST}:{DEMO_PORTS[network]}"


def demo_sources() -> list[dict[str, Any]]:
    return [
        {
            "network": "vk",
            "kind": Source.Kind.COMMUNITY,
            "title": "Комитет по здравоохранению (ВКонтакте, демо)",
            "external_id": "200000001",
            "url": "https://vk.com/demo_health_lenobl",
            "config": {
                "api_base": f"{_url('vk')}/method/",
                "token": "vk-test-token",
                "group_id": 200000001,
                "callback_secret": "demo-callback-secret",
                "confirmation": "demo-confirmation",
            },
        },
        {
            # The Governor's community: the demo's posts and comments are stored by `governor.demo` as
            # ingestion would have stored them, and `otklik fake_networks` puts the same wall (the same ids) on
            # the fake VK (`governor.demo.demo_wall`): the clock's checks read it, the answers are published there.
            "network": "vk",
            "kind": Source.Kind.COMMUNITY,
            "title": GOVERNOR_TITLE,
            "external_id": str(GOVERNOR_GROUP),
            "url": "https://vk.com/demo_governor_lenobl",
            "is_governor": True,
            "config": {
                "api_base": f"{_url('vk')}/method/",
                "token": "vk-test-token",
                "group_id": GOVERNOR_GROUP,
            },
        },
        {
            "network": "vk",
            "kind": Source.Kind.SEARCH,
            "title": "Поиск ВКонтакте: «Ленинградская область» (демо)",
            "external_id": "Ленинградская область",
            "config": {
                "api_base": f"{_url('vk')}/method/",
                "token": "vk-test-token",
                "q": "Ленинградская область",
            },
        },
        {
            "network": "telegram",
            "kind": Source.Kind.CHANNEL,
            "title": "Здравоохранение ЛО (Telegram, демо)",
            "url": "https://t.me/demo_health_lenobl",
            "config": {
                "api_base": _url("telegram"),
                "token": "123456:TEST-token",
                "webhook_secret": "demo-tg-secret",
            },
        },
        {
            "network": "ok",
            "kind": Source.Kind.COMMUNITY,
            "title": "Дороги Ленобласти (Одноклассники, демо)",
            "external_id": "53038939046008",
            "config": {
                "api_base": f"{_url('ok')}/fb.do",
                "application_key": "CBAFAKEKEY",
                "secret_key": "fake-secret",
                "token": "ok-test-token",
                "topics": ["155512345678901"],
            },
        },
        {
            "network": "youtube",
            "kind": Source.Kind.CHANNEL,
            "title": "ЛО ТВ (YouTube, демо)",
            "config": {
                "api_base": _url("youtube"),
                "api_key": "yt-key",
                "oauth_token": "yt-oauth",
                "videos": ["dQw4w9WgXcQ"],
            },
        },
        {
            "network": "feed",
            "kind": Source.Kind.FEED,
            "title": "Блог жителя Гатчины (RSS, демо)",
            "url": f"{_url('feed')}/rss.xml",
            "config": {},
        },
    ]


def add_demo_sources() -> int:
    """Create the demo sources once (matched by network and title); returns how many were added."""
    ensure_default_mappings()
    added = 0
    for spec in demo_sources():
        _, created = Source.objects.get_or_create(
            network=spec["network"],
            title=spec["title"],
            defaults={k: v for k, v in spec.items() if k not in {"network", "title"}},
        )
        added += created
    return added


def demo_message(*, published_at: datetime, lag: timedelta = timedelta(minutes=3), **fields: Any) -> Message:
    """A demo message as intake would have stored it: received ``lag`` after its publication, not when the demo
    runs (``received_at`` is set on insert, so it is written afterwards)."""
    message = Message.objects.create(published_at=published_at, **fields)
    message.received_at = published_at + lag
    Message.objects.filter(pk=message.pk).update(received_at=message.received_at)
    return message


def message_url(network: str, key: int) -> str:
    """A plausible link of a demo message in its own network (its host matches the network)."""
    return {
        "ok": f"https://ok.ru/group/53038939046008/topic/{key}",
        "telegram": f"https://t.me/lenobl_chat/{key}",
    }.get(network, f"https://vk.com/wall-1_{key}")


def analyse(messages: list[Message]) -> None:
    """Run messages through the analysis pipeline the real intake queues them for (R-8.1, R-10), at once: the
    curator opening the demo sees the suggestions without waiting for the worker."""
    from otklik.analysis.pipeline import annotate_message

    for message in messages:
        annotate_message(message)
