"""RSS/Atom feeds of district news sites as they really are (R-4): relative links, titles with escaped markup,
cp1251, RSS 1.0, and a feed address that starts answering with an HTML page — against the loopback fake."""

from __future__ import annotations

import pytest

from otklik.intake.models import Message, Quarantine, Source
from otklik.intake.pipeline import run_source
from tests.fakes.feeds import FakeFeed

pytestmark = pytest.mark.django_db


def rss(items: str, encoding: str = "utf-8") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel><title>Вести района</title>'
        f"<link>https://rayon.example/</link><description>Новости</description>{items}</channel></rss>"
    ).encode(encoding)


def test_relative_links_are_resolved_against_the_feed_address(
    feed_source: Source, fake_feed: FakeFeed
) -> None:
    """Many district sites write ``<link>/news/123</link>``: the curator still needs the way to the item."""
    fake_feed.body = rss(
        "<item><title>Ремонт моста</title><link>/news/123</link><guid>n123</guid>"
        "<description>Мост закроют на ремонт.</description></item>"
    )
    assert run_source(feed_source).created == 1
    assert Message.objects.get().url == f"{fake_feed.url}/news/123"


def test_a_title_with_escaped_angle_brackets_keeps_its_words(
    feed_source: Source, fake_feed: FakeFeed
) -> None:
    """``&lt;`` in a plain-text title is a character, not markup: no words may vanish from the text."""
    fake_feed.body = rss(
        "<item><title>Тариф &lt;Start&gt; для пенсионеров отменён &amp; не вернут</title><link>https://rayon.example/t</link>"
        "<guid>t1</guid><description><![CDATA[<p>Подробности в <b>мэрии</b>.</p>]]></description></item>"
    )
    run_source(feed_source)
    text = Message.objects.get().text
    assert text.startswith("Тариф <Start> для пенсионеров отменён & не вернут\n")
    assert text.endswith("Подробности в мэрии.")


def test_a_cp1251_feed_declared_in_the_prolog(feed_source: Source, fake_feed: FakeFeed) -> None:
    fake_feed.body = rss(
        "<item><title>Отключение воды</title><link>https://rayon.example/w</link><guid>w1</guid>"
        "<description>С 10:00 до 18:00 на ул. Ленина.</description></item>",
        encoding="windows-1251",
    )
    run_source(feed_source)
    assert Message.objects.get().text == "Отключение воды\nС 10:00 до 18:00 на ул. Ленина."


def test_a_feed_turned_into_an_html_page_is_kept_and_flagged(
    feed_source: Source, fake_feed: FakeFeed
) -> None:
    """The site's error page answered with 200: nothing may look as if the feed were simply quiet."""
    run_source(feed_source)
    fake_feed.body = (
        b"<!DOCTYPE html><html><head><title>\xd0\xa1\xd0\xb0\xd0\xb9\xd1\x82 \xd0\xbd\xd0\xb0 "
        b"\xd1\x80\xd0\xb5\xd0\xba\xd0\xbe\xd0\xbd\xd1\x81\xd1\x82\xd1\x80\xd1\x83\xd0\xba\xd1\x86\xd0\xb8\xd0\xb8"
        b"</title></head><body><h1>503</h1></body></html>"
    )
    report = run_source(feed_source)
    assert report.quarantined == 1
    assert Quarantine.objects.get().error == "the feed is not valid RSS/Atom"
