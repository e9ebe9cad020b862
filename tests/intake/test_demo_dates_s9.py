"""`make run`: the demo networks' messages look current (R-4). `otklik fake_networks` (`start_fakes`) moves every
publication time of the fakes' fixtures by one offset, so the newest item is a little before now, in order and
with the fixtures' spacing; the fakes as the tests start them keep the fixtures' fixed dates of November 2024."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from otklik.governor.demo import OWNER
from otklik.intake.demo import DEMO_PORTS, GOVERNOR_TITLE, add_demo_sources, demo_message, demo_sources
from otklik.intake.management.commands.fake_networks import start_fakes
from otklik.intake.models import Message, Post, Quarantine, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.base import ParsedMessage, ParsedPost
from otklik.integrations.registry import connector_for
from otklik.worktime.calendar import ProductionCalendar
from tests.fakes.base import MSK, FakeServer, read_time
from tests.fakes.feeds import FakeFeed
from tests.fakes.ok import FakeOK
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db

FIXED_FAKES = {"vk": FakeVK, "telegram": FakeTelegram, "ok": FakeOK, "youtube": FakeYouTube, "feed": FakeFeed}


@pytest.fixture
def fixed_fakes() -> Iterator[dict[str, FakeServer]]:
    """The fakes as the tests start them: the fixtures' fixed dates."""
    fakes: dict[str, FakeServer] = {name: cls().start() for name, cls in FIXED_FAKES.items()}
    try:
        yield fakes
    finally:
        for fake in fakes.values():
            fake.stop()


@pytest.fixture
def demo_fakes() -> Iterator[dict[str, Any]]:
    """The fakes as `otklik fake_networks` starts them, on free ports (the demo's fixed ones may be taken)."""
    fakes = start_fakes(dict.fromkeys(DEMO_PORTS, 0))
    try:
        yield fakes
    finally:
        for fake in fakes.values():
            fake.stop()


def _point(value: Any, fakes: dict[str, Any]) -> Any:
    """A demo source's setting with the demo's fixed addresses replaced by those of ``fakes``."""
    if isinstance(value, dict):
        return {k: _point(v, fakes) for k, v in value.items()}
    if isinstance(value, str):
        for network, port in DEMO_PORTS.items():
            value = value.replace(f"http://127.0.0.1:{port}", fakes[network].url)
    return value


def _own_sources() -> list[dict[str, Any]]:
    """The demo's sources of the networks' own content (not the Governor's wall, which the demo writes itself)."""
    return [spec for spec in demo_sources() if not spec.get("is_governor")]


def _point_source(source: Source, spec: dict[str, Any], fakes: dict[str, Any]) -> Source:
    pointed = _point(spec, fakes)
    source.url = pointed.get("url", "")
    source.config = {**pointed.get("config", {}), "per_second": 0}
    source.save()
    return source


def _read(source: Source) -> dict[str, datetime]:
    """What the project's own connector reads from the source, without storing it: every post's and message's
    publication time by its id in the network."""
    times: dict[str, datetime] = {}
    with closing(connector_for(source)) as connector:
        for page in connector.fetch({}):
            for payload in page.payloads:
                for parsed in connector.parse(payload):
                    if isinstance(parsed, ParsedPost | ParsedMessage) and parsed.published_at is not None:
                        kind = "post" if isinstance(parsed, ParsedPost) else "message"
                        times[f"{kind}:{parsed.external_id}"] = parsed.published_at
    return times


def _stored(source: Source) -> dict[str, datetime]:
    """The publication times the curator sees for the source's posts and messages."""
    times = {
        f"message:{m.external_id}": m.published_at
        for m in Message.objects.filter(source=source)
        if m.published_at is not None
    }
    times.update(
        {
            f"post:{p.external_id}": p.published_at
            for p in Post.objects.filter(source=source)
            if p.published_at is not None
        }
    )
    return times


def test_r4_the_demo_networks_messages_are_dated_a_little_before_now_in_their_order(
    fixed_fakes: dict[str, FakeServer],
) -> None:
    """R-4: the curator opens the demo inbox right after `make run`. Every message and post the worker read from
    the demo's VK community and search, Telegram channel, OK topic, YouTube video and blog is dated within the
    last two days and none in the future, the newest of each network between an hour and a minute before now,
    not «28.11.2024 … получено» today; what the fixed fixtures say came first still comes first, as far apart
    as there (every time moved by one offset), and nothing was quarantined."""
    # The same sources read from the fakes as the tests have them: the fixtures' fixed dates.
    specs = _own_sources()
    sources = [
        _point_source(
            Source.objects.create(**{k: v for k, v in spec.items() if k not in {"url", "config"}}),
            spec,
            fixed_fakes,
        )
        for spec in specs
    ]
    fixed = {s.pk: _read(s) for s in sources}
    for source in sources:
        assert fixed[source.pk], source.title
        assert {t.astimezone(UTC).year for t in fixed[source.pk].values()} == {2024}, source.title

    before = timezone.now()
    fakes = start_fakes(dict.fromkeys(DEMO_PORTS, 0))
    try:
        for source, spec in zip(sources, specs, strict=True):
            report = run_source(_point_source(source, spec, fakes))  # now read from the demo's fakes
            assert report.error == "" and report.created, (source.title, report)
    finally:
        for fake in fakes.values():
            fake.stop()
    after = timezone.now()

    assert not Quarantine.objects.exists()
    newest: dict[str, datetime] = {}
    for source in sources:
        shown = _stored(source)
        was = fixed[source.pk]
        assert set(shown) == set(was), source.title
        assert all(before - timedelta(days=2) <= t <= after - timedelta(minutes=1) for t in shown.values()), (
            source.title,
            shown,
        )
        assert len({shown[k] - was[k] for k in shown}) == 1, source.title  # one offset: spacing kept
        assert sorted(shown, key=lambda k: (shown[k], k)) == sorted(was, key=lambda k: (was[k], k))
        newest[source.network] = max(newest.get(source.network, before - timedelta(days=9)), *shown.values())
    # The newest of each network's demo content (VK: its community and search together) is a little before now.
    assert set(newest) == {"vk", "telegram", "ok", "youtube", "feed"}
    assert all(before - timedelta(hours=1) <= t for t in newest.values()), newest


def test_r4_each_demo_fakes_api_gives_every_item_time_a_little_before_now_by_one_offset(
    demo_fakes: dict[str, Any], fixed_fakes: dict[str, FakeServer]
) -> None:
    """R-4: read through the networks' own endpoints, the demo's fakes give every time field of every item —
    VK's posts (and their photos), comments and search results, Telegram's messages with the messages they
    answer and forward, OK's comments, YouTube's threads and replies (published and updated), the blog's
    ``pubDate`` — at most two days and at least a minute before now, moved by one offset per network from the
    fixtures' (which the fakes as tests start them still give)."""
    import httpx

    now = datetime.now(UTC)

    def vk(url: str) -> list[Any]:
        params: dict[str, Any] = {"access_token": "vk-test-token", "v": "5.199", "count": 100}
        wall = httpx.get(f"{url}/method/wall.get", params={**params, "owner_id": -200000001}).json()
        comments = httpx.get(
            f"{url}/method/wall.getComments",
            params={**params, "owner_id": -200000001, "post_id": 101, "thread_items_count": 10},
        ).json()
        found = httpx.get(f"{url}/method/newsfeed.search", params={**params, "q": ""}).json()
        return [wall["response"]["items"], comments["response"]["items"], found["response"]["items"]]

    def telegram(url: str) -> list[Any]:
        return [httpx.get(f"{url}/bot123456:TEST-token/getUpdates").json()["result"]]

    def ok(url: str) -> list[Any]:
        from otklik.integrations.ok.client import signature

        p = {
            "application_key": "CBAFAKEKEY",
            "format": "json",
            "method": "discussions.getComments",
            "discussionId": "155512345678901",
            "count": "100",
            "access_token": "ok-test-token",
        }
        p["sig"] = signature(p, "ok-test-token", "fake-secret")
        return [httpx.get(f"{url}/fb.do", params=p).json()["comments"]]

    def youtube(url: str) -> list[Any]:
        pages, token = [], ""
        while True:
            page = httpx.get(
                f"{url}/youtube/v3/commentThreads",
                params={"key": "yt-key", "videoId": "dQw4w9WgXcQ", "pageToken": token},
            ).json()
            pages.append(page["items"])
            token = page.get("nextPageToken", "")
            if not token:
                return pages

    def feed(url: str) -> list[Any]:
        import email.utils
        import re

        text = httpx.get(f"{url}/rss.xml").text
        return [
            [email.utils.parsedate_to_datetime(d) for d in re.findall(r"<pubDate>([^<]+)</pubDate>", text)]
        ]

    readers = {"vk": vk, "telegram": telegram, "ok": ok, "youtube": youtube, "feed": feed}
    for network, read in readers.items():
        moved = _times(read(demo_fakes[network].url))
        fixed = _times(read(fixed_fakes[network].url))
        assert len(moved) == len(fixed) >= 2, network
        assert {t.year for t in fixed} == {2024}, network
        assert all(now - timedelta(days=2) <= t <= now - timedelta(minutes=1) for t in moved), (
            network,
            moved,
        )
        assert max(moved) >= now - timedelta(hours=1), network
        assert {m - f for m, f in zip(moved, fixed, strict=True)} == {max(moved) - max(fixed)}, network


def _times(value: Any) -> list[datetime]:
    """Every time in an API's answer, in the order the answer gives them (UTC)."""
    found: list[datetime] = []
    if isinstance(value, datetime):
        found.append(value.astimezone(UTC))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in {"date", "edit_date", "publishedAt", "updatedAt"} and not isinstance(item, dict | list):
                if isinstance(item, int):
                    found.append(datetime.fromtimestamp(item, UTC))
                elif " " in item:  # OK: Moscow time
                    found.append(datetime.fromisoformat(item + "+03:00").astimezone(UTC))
                else:
                    found.append(datetime.fromisoformat(item).astimezone(UTC))
            else:
                found.extend(_times(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_times(item))
    return found


def test_r7_4_the_governors_demo_wall_keeps_the_times_the_demo_stored() -> None:
    """R-7.4: `otklik demo` stored the Governor's posts and comments with their own times (three working days
    back … today); `otklik fake_networks` serves them on the fake VK at those times, not moved with the
    fixtures' content (the clock's checks and the answers' replies read them there)."""
    add_demo_sources()
    source = Source.objects.get(network="vk", title=GOVERNOR_TITLE, is_governor=True)
    posted = timezone.now().replace(microsecond=0) - timedelta(days=3, hours=2)
    post = Post.objects.create(
        network="vk",
        external_id=f"{OWNER}_1",
        source=source,
        url=f"https://vk.com/wall{OWNER}_1",
        text="Сегодня в Гатчине открылась новая поликлиника.",
        published_at=posted,
        is_governor=True,
    )
    demo_message(
        network="vk",
        external_id=f"{OWNER}_1_101",
        source=source,
        author_id="381001",
        author_name="Мария Иванова",
        text="Когда начнёт работать запись?",
        text_raw="Когда начнёт работать запись?",
        published_at=posted + timedelta(hours=1),
        post=post,
    )

    fakes = start_fakes(dict.fromkeys(DEMO_PORTS, 0))
    try:
        vk = fakes["vk"]
        assert [p["date"] for p in vk.posts if p["owner_id"] == OWNER] == [int(posted.timestamp())]
        assert [c["date"] for c in vk.comments if c["owner_id"] == OWNER] == [int(posted.timestamp()) + 3600]
        assert max(p["date"] for p in vk.posts if p["owner_id"] != OWNER) > int(posted.timestamp())
    finally:
        for fake in fakes.values():
            fake.stop()


def test_r4_a_demo_run_after_the_calendars_years_keeps_the_items_within_them() -> None:
    """R-4: the demo's items are dated within the years of the production calendar the project ships: a fake made current on a day after its last year puts its newest item on the calendar's last
    minute, in the past, the others before it as far apart as in the fixtures; a day before its first year would
    need the items before it, so they keep their fixed dates."""
    calendar = ProductionCalendar.from_package()
    end = datetime.combine(calendar.last_date + timedelta(days=1), time(), MSK)
    fake = FakeOK()
    fixed = _ok_times(fake)

    fake.make_current(now=end + timedelta(days=400))

    moved = _ok_times(fake)
    assert all(end - timedelta(days=2) <= m < end for m in moved), moved
    assert len({m - f for m, f in zip(moved, fixed, strict=True)}) == 1
    assert fake.topics["155512345678901"][-1]["date"].startswith(f"{calendar.last_date.isoformat()} 23:")

    early = FakeOK()
    early.make_current(now=datetime.combine(calendar.first_date, time(1), MSK))
    assert [c["date"] for c in early.topics["155512345678901"]] == [
        "2024-11-28 10:15:00",
        "2024-11-28 10:40:12",
        "2024-11-28 11:02:45",
    ]


def _ok_times(fake: FakeOK) -> list[datetime]:
    return [t for c in fake.topics["155512345678901"] if (t := read_time(c["date"])) is not None]
