"""Review of the competence page's paging (R-8.1): every row of the matrix is on exactly one page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Competence, Municipality, Topic, TopicGroup
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-competence="(\d+)">', html)]


def test_r8_1_a_topic_an_oblast_body_answers_in_many_districts_is_paged_without_repeats(
    personas: Personas, client: Client
) -> None:
    """R-8.1: the roads committee (an oblast body) answers one topic in 150 districts, one row each. The rows
    sort alike by group, topic and body, so the pages must still split them: page 2 repeats none of page 1 and
    the two pages together hold every row."""
    group = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=group, name="Ямы на дорогах")
    rows = {
        Competence.objects.create(
            topic=topic,
            body=personas.roads,
            municipality=Municipality.objects.create(name=f"Район {n:03d}"),
        ).pk
        for n in range(150)
    }
    client.force_login(personas.curator)
    first = shown(client.get("/directory/competences/").content.decode())
    second = shown(client.get("/directory/competences/?page=2").content.decode())
    assert len(first) == 100 and len(second) == 50
    assert not set(first) & set(second), "rows shown on both pages"
    assert set(first) | set(second) == rows, "rows on neither page"
