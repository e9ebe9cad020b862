"""Fixtures of the Governor's-post tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.governor.helpers import HEALTH_TOPIC, ROADS_TOPIC, competence


@pytest.fixture
def p(personas: Personas) -> Personas:
    """The personas with health competent for HEALTH_TOPIC and roads for ROADS_TOPIC (a file may narrow it)."""
    competence(personas.health, *HEALTH_TOPIC)
    competence(personas.roads, *ROADS_TOPIC)
    return personas


@pytest.fixture
def fake_vk() -> Iterator[FakeVK]:
    """The fake VK server on loopback (tests/fakes/vk.py); the Governor's community on it: `helpers.governor_vk`."""
    with FakeVK() as fake:
        yield fake
