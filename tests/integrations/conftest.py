"""Fakes of the networks on 127.0.0.1 and sources pointing at them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otklik.intake.models import Source
from tests.fakes.feeds import FakeFeed
from tests.fakes.ok import FakeOK
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.fakes.youtube import FakeYouTube


@pytest.fixture
def fake_vk() -> Iterator[FakeVK]:
    with FakeVK() as fake:
        yield fake


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def vk_source(db: None, fake_vk: FakeVK) -> Source:
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={
            "api_base": f"{fake_vk.url}/method/",
            "token": fake_vk.token,
            "group_id": 200000001,
            "per_second": 0,
            "callback_secret": "demo-callback-secret",
            "confirmation": "c0nf1rm",
        },
    )


@pytest.fixture
def telegram_source(db: None, fake_telegram: FakeTelegram) -> Source:
    return Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Здравоохранение ЛО (Telegram)",
        config={"api_base": fake_telegram.url, "token": fake_telegram.token, "webhook_secret": "tg-secret"},
    )


@pytest.fixture
def fake_ok() -> Iterator[FakeOK]:
    with FakeOK() as fake:
        yield fake


@pytest.fixture
def fake_youtube() -> Iterator[FakeYouTube]:
    with FakeYouTube() as fake:
        yield fake


@pytest.fixture
def fake_feed() -> Iterator[FakeFeed]:
    with FakeFeed() as fake:
        yield fake


@pytest.fixture
def ok_source(db: None, fake_ok: FakeOK) -> Source:
    return Source.objects.create(
        network="ok",
        kind=Source.Kind.COMMUNITY,
        title="Дороги ЛО (ОК)",
        external_id="53038939046008",
        config={
            "api_base": f"{fake_ok.url}/fb.do",
            "application_key": fake_ok.application_key,
            "secret_key": fake_ok.secret_key,
            "token": fake_ok.token,
            "topics": ["155512345678901"],
            "per_second": 0,
        },
    )


@pytest.fixture
def youtube_source(db: None, fake_youtube: FakeYouTube) -> Source:
    return Source.objects.create(
        network="youtube",
        kind=Source.Kind.CHANNEL,
        title="ЛО ТВ (YouTube)",
        config={
            "api_base": fake_youtube.url,
            "api_key": fake_youtube.api_key,
            "videos": ["dQw4w9WgXcQ"],
        },
    )


@pytest.fixture
def feed_source(db: None, fake_feed: FakeFeed) -> Source:
    return Source.objects.create(
        network="feed", kind=Source.Kind.FEED, title="Блог жителя Гатчины", url=f"{fake_feed.url}/rss.xml"
    )
