from __future__ import annotations

from collections.abc import Iterator

import pytest

from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.intake.models import Message, Network, Source
from otklik.org.loaders import load_directory


@pytest.fixture(autouse=True)
def _fresh_gazetteer() -> Iterator[None]:
    # Each test has its own database; the in-memory gazetteer must not outlive it.
    reset_gazetteer()
    yield
    reset_gazetteer()


@pytest.fixture
def directory(db: None) -> None:
    load_directory()


_counter = iter(range(1, 10**9))


def make_message(text: str, *, author: str = "", source: Source | None = None, **extra: object) -> Message:
    return Message.objects.create(
        network=Network.VK,
        external_id=f"m{next(_counter)}",
        text=text,
        text_raw=text,
        author_id=author,
        source=source,
        **extra,
    )


@pytest.fixture(autouse=True)
def _fresh_repeat_index() -> Iterator[None]:
    # The LSH index of messages lives per process; ids restart with each test database.
    reset_repeat_index()
    yield
    reset_repeat_index()
