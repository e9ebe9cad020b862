"""R-4: a VK search source does not lose a post VK's search shows a little after it was written.

VK's search finds a post once it is indexed, which may be minutes after its publication, and posts are not indexed
in the order written. Each search now asks again from 15 minutes before the newest post already seen
(`vk.connector.SEARCH_OVERLAP_MINUTES`, source setting `overlap_minutes`): a post published at 10:00 and shown at
10:05, after a post of 10:02 was read, is found and stored; the posts read again are updated, never stored twice.

Found by a review (session 18): the cursor asked only for posts published after the newest one seen
(`start_time = newest + 1`), so such a post was never asked for again.
"""

from __future__ import annotations

import copy

import pytest

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import fake_vk  # noqa: F401 - the loopback fake VK API as a fixture

pytestmark = pytest.mark.django_db


def test_vk_search_finds_a_post_indexed_after_a_newer_one_was_read(fake_vk: FakeVK) -> None:  # noqa: F811
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.SEARCH,
        title="Ленобласть",
        config={
            "api_base": f"{fake_vk.url}/method/",
            "token": fake_vk.token,
            "q": "Ленинградская область",
            "per_second": 0,
        },
    )
    assert run_source(source).created == 2
    newest = max(i["date"] for i in fake_vk.search_items)
    # Written three minutes before the newest post already read; VK's search shows it only now.
    late = copy.deepcopy(fake_vk.search_items[0])
    late.update(id=556, date=newest - 180, text="Ленинградская область, Тосно: третий день нет воды в доме 5")
    with fake_vk.lock:
        fake_vk.search_items.append(late)
    again = run_source(source)
    assert Message.objects.filter(network="vk", external_id=f"{late['owner_id']}_556").exists()
    assert again.created == 1
    assert Message.objects.filter(network="vk").count() == 3
