"""Found by a review (session 26), fixed since. R-4 (nothing is lost; a cursor never skips messages): one VK search result with a publication time in the future
must not make the search source blind to every later post."""

from __future__ import annotations

import copy
import time

import pytest

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import fake_vk  # noqa: F401 - the loopback fake VK API as a fixture

pytestmark = pytest.mark.django_db


def test_vk_search_keeps_reading_after_a_post_dated_in_the_future(fake_vk: FakeVK) -> None:  # noqa: F811
    """A curator watches the search «Ленинградская область». VK returns one post whose `date` is two days ahead
    (a wrong clock on the author's side, a postponed post shown early). Otklik stores it and flags the time as
    implausible (the pipeline ignores it), but the search cursor takes that future date as «the newest post
    seen» and from then on asks VK only for posts published after it: a citizen's complaint written a minute
    ago is never read, and nothing tells anybody (R-4)."""
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
    now = int(time.time())
    future = copy.deepcopy(fake_vk.search_items[0])
    future.update(id=600, date=now + 2 * 86400, text="Ленинградская область: пост с датой из будущего")
    with fake_vk.lock:
        fake_vk.search_items.append(future)
    assert run_source(source).created == 1
    stored = Message.objects.get(network="vk", external_id=f"{future['owner_id']}_600")
    assert stored.parse_error  # flagged by the pipeline: the time was not believed

    fresh = copy.deepcopy(fake_vk.search_items[0])
    fresh.update(id=601, date=now - 60, text="Ленинградская область, Луга: нет света с утра, помогите")
    with fake_vk.lock:
        fake_vk.search_items.append(fresh)
    run_source(source)
    assert Message.objects.filter(network="vk", external_id=f"{fresh['owner_id']}_601").exists(), (
        f"search cursor {source.cursor.position} skips every post older than the future-dated one"
    )
