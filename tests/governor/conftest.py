"""Fixtures of the Governor's-post tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otklik.cases.models import Case
from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_TOPIC,
    THANKS,
    comment,
    competence,
    governor_post,
    governor_source,
)


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


@pytest.fixture
def post_with_question(personas: Personas) -> tuple[Personas, int, Case, Comment]:
    """A Governor's post of 1.11.2024 with a health question (its case in the health body) and a thanks: the
    personas, the watch's pk, the question's case and the thanks' comment."""
    competence(personas.health, *HEALTH_TOPIC)
    competence(personas.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    thanks = comment(post, THANKS, msk(2024, 11, 1, 17, 41), author="102")
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=question).case
    assert case is not None
    return personas, post.watch.pk, case, Comment.objects.get(message=thanks)
