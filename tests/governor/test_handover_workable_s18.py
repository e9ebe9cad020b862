"""R-7.1, R-3, R-6: a body hands its part of a Governor's-post question only to a body that answers and has
somebody to answer. The information policy office (the coordinator: its people are curators, R-3) and a body nobody
works in are refused in Russian, and the question stays with its body; the post page no longer offers the office.
Found by a review (session 18): the hand-over took both, leaving the question with no executor while its
2 working hours ran (R-7.2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case
from otklik.governor import actions
from otklik.governor.models import Comment
from otklik.org.models import Body
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _alice(p: Personas) -> Client:
    client = Client()
    client.force_login(p.alice)
    return client


def _parts(case: Case) -> list[tuple[int, int | None]]:
    return [(a.body_id, a.executor_id) for a in actions.parts_of(case)]


def test_r7_1_a_governor_question_cannot_be_handed_to_the_information_policy_office(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """Alice (health) hands the health question «to another body» and picks the information policy office, which
    the page offers: refused in Russian, the question stays with health and Alice."""
    p, watch_pk, case, _ = post_with_question  # a health question under the post of 1.11.2024
    page = _alice(p).get(reverse("governor:post", args=[watch_pk])).content.decode()
    before = _parts(case)
    assert before == [(p.health.pk, p.alice.pk)]
    assert f'<option value="{p.office.pk}">' not in page
    response = _alice(p).post(
        reverse("governor:handover", args=[case.pk]),
        {"body": p.office.pk, "reason": "пусть решит управление", "part": p.health.pk},
        follow=True,
    )
    after = _parts(case)
    assert after == before, f"the question went to the coordinator, which answers no question: parts {after}"
    assert "не принимает" in response.content.decode() or "выберите" in response.content.decode().lower()


def test_r7_1_a_governor_question_cannot_be_handed_to_a_body_nobody_works_in(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """A new body, nobody in it yet (a new installation's bodies are empty at first): Alice's hand-over to it is
    refused, as the office's routing of a question to it is; otherwise the question has no executor at all."""
    p, _, case, _ = post_with_question  # a health question under the post of 1.11.2024
    empty = Body.objects.create(name="Комитет по культуре и туризму", short_name="Культура")
    before = _parts(case)
    _alice(p).post(
        reverse("governor:handover", args=[case.pk]),
        {"body": empty.pk, "reason": "вопрос о культуре", "part": p.health.pk},
    )
    after = _parts(case)
    assert after == before, f"the question went to a body with nobody in it: parts {after} (executor None)"
