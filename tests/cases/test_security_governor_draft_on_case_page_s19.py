"""R-3, R-4.2, R-7.1 (review 19, security): «a body's unpublished wording (a draft on approval, a returned one) is
read only by its own people and the office; the people of every other organisation see what was published»
(session 18, `governor.views.post_page.readable`). The same question is also a case (`/cases/<id>/`) that every
body with a part of it may open (`cases.scoping.cases_for`); its page now keeps to the same rule
(`cases.scoping.may_read_draft`): a body that joined the question no longer reads there the other body's answer
while it waits for that body's head, nor a returned one with its head's remark (the timeline keeps the return,
without the remark), nor its attachments by their address; its own people and the curators read them all.

Found by a review (session 19).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case, Draft
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.org.models import Person
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

DRAFT = "Здравствуйте! Терапевт, по нашим сведениям, выйдет на работу где-то после праздников, уточняем."


def _read(person: Person, url: str) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_body_that_joined_a_governor_question_does_not_read_the_other_bodys_unapproved_answer(
    personas: Personas,
) -> None:
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=question).case
    assert case is not None and case.origin == Case.Origin.GOVERNOR_POST
    watch_pk = post.watch.pk

    # the road committee answers its own part too; health's head approves health's answers
    actions.join_question(
        case, p.dave, p.roads, reason="Дорога к поликлинике — наша", now=msk(2024, 11, 5, 9, 0)
    )
    actions.set_require_approval(p.health, p.health_head, True)
    actions.submit_answer(case, p.alice, DRAFT, body=p.health, now=msk(2024, 11, 5, 9, 30))
    assert case.drafts.get(assignment__body=p.health).state == Draft.State.SUBMITTED

    # the post page keeps health's wording from the road committee (session 18) ...
    assert DRAFT in _read(p.alice, reverse("governor:post", args=[watch_pk]))
    assert DRAFT not in _read(p.dave, reverse("governor:post", args=[watch_pk]))
    # ... and so must the question's case page, which the road committee may open as a body of the question
    page = _read(p.dave, reverse("cases:detail", args=[case.pk]))
    assert DRAFT not in page, (
        f"Давыдов (Дороги) reads on /cases/{case.pk}/ the health committee's answer waiting for its head's approval, "
        "which the Governor's post page hides from him"
    )


def test_a_returned_answer_and_its_heads_remark_stay_with_its_own_body(personas: Personas) -> None:
    """R-7.1: the health head returns the answer with a remark; the road committee's executor reads on the case page
    neither the returned wording nor the remark; health's executor and the curator read both."""
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=question).case
    assert case is not None
    actions.join_question(
        case, p.dave, p.roads, reason="Дорога к поликлинике — наша", now=msk(2024, 11, 5, 9, 0)
    )
    actions.set_require_approval(p.health, p.health_head, True)
    actions.submit_answer(case, p.alice, DRAFT, body=p.health, now=msk(2024, 11, 5, 9, 30))
    remark = "Не пишите «где-то после праздников»: назовите дату выхода терапевта."
    actions.return_answer(case, p.health_head, remark, body=p.health, now=msk(2024, 11, 5, 9, 40))
    assert case.drafts.get(assignment__body=p.health).state == Draft.State.RETURNED

    url = reverse("cases:detail", args=[case.pk])
    outsider = _read(p.dave, url)
    assert DRAFT not in outsider and remark not in outsider
    for insider in (p.alice, p.curator):
        page = _read(insider, url)
        assert DRAFT in page and remark in page
