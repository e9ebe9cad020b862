"""A read of a source and a publication close their connections to the network when they are done.

The worker reads every source each minute for months: a connection left for the garbage collector is a socket
and a file descriptor held until it runs (CI showed it as «ResourceWarning: unclosed <socket…>» from the fake
networks). Each test reads or publishes against a fake network on 127.0.0.1 and collects the garbage while the
warnings are recorded: an unclosed client's socket warns when it is collected.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.publish import publish_reply
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "Здравствуйте! Приём в ФАП возобновится 2 декабря, с 9:00 до 16:00."


@contextmanager
def unclosed_sockets() -> Iterator[list[str]]:
    """The sockets left open by the code run inside, as the texts of their ResourceWarnings."""
    found: list[str] = []
    gc.collect()  # what earlier tests left is not this test's
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield found
        gc.collect()
    found.extend(
        str(w.message)
        for w in caught
        if issubclass(w.category, ResourceWarning) and "socket" in str(w.message)
    )


@pytest.mark.parametrize("network", ["vk", "telegram", "ok", "youtube", "feed"])
def test_reading_a_source_leaves_no_connection_open(network: str, request: pytest.FixtureRequest) -> None:
    source: Source = request.getfixturevalue(f"{network}_source")
    with unclosed_sockets() as unclosed:
        report = run_source(source)
    assert report.error == "" and report.created > 0  # it did read the fake network
    assert unclosed == []


@pytest.mark.parametrize(
    ("network", "external_id"), [("vk", "-200000001_101_1003"), ("telegram", "-1009876543210:311")]
)
def test_publishing_an_answer_leaves_no_connection_open(
    network: str, external_id: str, request: pytest.FixtureRequest
) -> None:
    source: Source = request.getfixturevalue(f"{network}_source")
    fake: FakeVK | FakeTelegram = request.getfixturevalue(f"fake_{network}")
    run_source(source)
    message = Message.objects.get(external_id=external_id)
    with unclosed_sockets() as unclosed:
        result = publish_reply(message, ANSWER, f"closed-{network}")
    assert result.url and len(fake.published) == 1
    assert unclosed == []
