"""Found by a review (session 26), fixed since. Review 70: the competence matrix (R-8.1) accepts a row naming a body that no longer works («действует» unticked),
and the row then silently routes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.analysis.routing import route
from otklik.org.models import Body, Competence, Topic, TopicGroup
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r8_1_a_competence_row_for_a_body_that_no_longer_works_is_refused(personas: Personas) -> None:
    """R-8.1, R-3: the committee «Комитет по социальной защите» was switched off in the directory (reorganised). The
    curator, setting up the matrix before go-live, adds «Пособия на детей → Комитет по социальной защите» on
    /directory/competences/new/: the page says the competence is added and the matrix lists the row like any other
    (no mark that the body does not work). Routing skips inactive bodies (`analysis.routing.route`), so the
    curator's inbox never suggests a body for messages about child benefits although the matrix shows one. The
    form should refuse the row in Russian (the body is switched off), as it refuses a municipal row outside its
    district."""
    social = Body.objects.create(name="Комитет по социальной защите", is_active=False)
    topic = Topic.objects.create(
        group=TopicGroup.objects.create(name="Социальная защита"), name="Пособия на детей"
    )
    client = Client()
    client.force_login(personas.curator)
    response = client.post(
        "/directory/competences/new/", {"topic": str(topic.pk), "body": str(social.pk), "municipality": ""}
    )
    saved = Competence.objects.filter(topic=topic, body=social).exists()
    suggested = route([("Пособия на детей", 0.9)], None)
    assert not saved, (
        f"saved (HTTP {response.status_code}); the matrix shows the row, routing for the topic suggests {suggested}"
    )
