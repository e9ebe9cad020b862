"""R-4: the regulation names forums and review sites beside blogs. A forum's or a review site's RSS/Atom feed is read
by the feed connector, and its messages are the forum's or the review site's (the source's network), as the curator
filters and counts them, not «Блог / сайт (RSS)»; a page entered by hand before is the one the feed delivers."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.intake.manual import enter_message
from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.feeds import FakeFeed

pytestmark = pytest.mark.django_db

ITEM = "https://gatchina-blog.example/2024/11/28/svet"


def reviews_source(fake_feed: FakeFeed) -> Source:
    return Source.objects.create(
        network="reviews",
        kind=Source.Kind.FEED,
        title="Отзывы о поликлиниках",
        url=f"{fake_feed.url}/rss.xml",
    )


def test_r4_a_review_sites_feed_gives_review_site_messages(
    fake_feed: FakeFeed, personas: Personas, client: Client
) -> None:
    """R-4: the curator picks «Сайт отзывов» on the message list and sees what the review site's feed gave."""
    source = reviews_source(fake_feed)
    report = run_source(source)
    assert (report.error, report.created) == ("", 2)
    assert set(Message.objects.values_list("network", flat=True)) == {"reviews"}
    client.force_login(personas.curator)
    page = client.get("/intake/messages/", {"network": "reviews"}).content.decode()
    assert "Третий вечер подряд на улице Чкалова" in page


def test_r4_a_forum_post_entered_by_hand_is_the_one_its_feed_delivers(fake_feed: FakeFeed) -> None:
    """R-4: the curator saw a forum post first and entered it by its link; the forum's feed then delivers it: one
    message, the forum's, with the feed's text."""
    entered, outcome = enter_message(url=ITEM, text="Нет света на Чкалова", network="forum")
    assert outcome == "created"
    source = Source.objects.create(
        network="forum", kind=Source.Kind.FEED, title="Форум Гатчины", url=f"{fake_feed.url}/rss.xml"
    )
    assert run_source(source).error == ""
    assert Message.objects.count() == 2
    taken = Message.objects.get(pk=entered.pk)
    assert taken.network == "forum" and not taken.external_id.startswith("url:")
    assert "Третий вечер подряд" in taken.text


def test_r4_a_review_already_read_from_its_feed_is_known_to_manual_entry(fake_feed: FakeFeed) -> None:
    """R-4: entering by hand a review the feed already delivered leaves it as the feed gave it."""
    run_source(reviews_source(fake_feed))
    message, outcome = enter_message(url=ITEM.replace("https://", "http://www."), text="Нет света")
    assert outcome == "known" and message.network == "reviews"
    assert Message.objects.count() == 2


def test_r4_a_blog_feed_is_still_a_blog(fake_feed: FakeFeed) -> None:
    """R-4: a source of the network «Блог / сайт (RSS)» keeps giving that network's messages."""
    source = Source.objects.create(
        network="feed", kind=Source.Kind.FEED, title="Блог жителя Гатчины", url=f"{fake_feed.url}/rss.xml"
    )
    run_source(source)
    assert set(Message.objects.values_list("network", flat=True)) == {"feed"}


def test_r4_items_a_review_sites_feed_stored_as_a_blogs_before_keep_one_record(fake_feed: FakeFeed) -> None:
    """R-4, nothing twice: items the feed connector stored as «Блог / сайт» before it kept the source's network are
    moved to the review site's by the migration, and the next read of the feed finds them, storing nothing again."""
    import importlib

    from django.apps import apps

    source = reviews_source(fake_feed)
    assert run_source(source).created == 2
    Message.objects.update(network="feed")  # as the connector stored them before
    Cursor.objects.filter(source=source).delete()  # the feed changed: read in full again

    importlib.import_module("otklik.intake.migrations.0015_feed_messages_keep_their_network").move(apps, None)
    report = run_source(source)

    assert report.created == 0
    assert list(Message.objects.values_list("network", flat=True)) == ["reviews", "reviews"]
