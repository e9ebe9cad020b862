"""R-4, nothing lost: a feed item's guid is unique only within its own feed (a CMS numbers its items «123»), so
two sites' items with one guid are two messages; the ids stored before the change get their source's prefix, and
the next read of the feed finds them instead of storing them again."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.feeds import FakeFeed

pytestmark = pytest.mark.django_db

GUID = "gatchina-blog-2024-11-28-svet"


def test_two_feeds_with_the_same_guids_keep_each_sites_items(
    feed_source: Source, fake_feed: FakeFeed
) -> None:
    other = Source.objects.create(
        network="feed", kind=Source.Kind.FEED, title="Новости Луги", url=f"{fake_feed.url}/rss.xml?site=luga"
    )
    assert run_source(feed_source).created == 2
    assert run_source(other).created == 2  # the same guids: before, these overwrote the first site's items
    assert Message.objects.filter(network="feed").count() == 4
    assert set(Message.objects.filter(external_id__endswith=f":{GUID}").values_list("source", flat=True)) == {
        feed_source.pk,
        other.pk,
    }


def test_ids_stored_before_are_scoped_and_the_next_read_finds_them(feed_source: Source) -> None:
    assert run_source(feed_source).created == 2
    # as the connector stored them before: the bare guid
    for m in Message.objects.filter(network="feed"):
        Message.objects.filter(pk=m.pk).update(external_id=m.external_id.split(":", 1)[1])
    assert Message.objects.filter(external_id=GUID).exists()
    migration = importlib.import_module("otklik.intake.migrations.0008_feed_ids_per_source")
    migration.scope(apps, None)
    migration.scope(apps, None)  # twice: nothing changes the second time
    assert Message.objects.get(external_id=f"{feed_source.pk}:{GUID}").source_id == feed_source.pk
    Source.objects.filter(pk=feed_source.pk).update(config={})  # read it all again, without the saved ETag
    from otklik.intake.models import Cursor

    Cursor.objects.filter(source=feed_source).delete()
    report = run_source(feed_source)
    assert report.created == 0 and Message.objects.filter(network="feed").count() == 2
