"""Fixtures of the Governor's-post tests."""

from __future__ import annotations

import pytest

from tests.conftest import Personas
from tests.governor.helpers import HEALTH_TOPIC, ROADS_TOPIC, competence


@pytest.fixture
def p(personas: Personas) -> Personas:
    """The personas with health competent for HEALTH_TOPIC and roads for ROADS_TOPIC (a file may narrow it)."""
    competence(personas.health, *HEALTH_TOPIC)
    competence(personas.roads, *ROADS_TOPIC)
    return personas
