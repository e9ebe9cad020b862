"""R-3, R-4.2, R-7.1: on a question under the Governor's post answered by two bodies, every page that shows a draft
by its id keeps to the case page's rule (`cases.scoping.may_read_draft`, b833c3b). The other body's executor who
changes the draft id in the address gets «not found» (404) from the revision editor
(`/cases/<id>/drafts/<draft>/revise/`: the returned text and the head's remark), the publication form
(`/cases/<id>/drafts/<draft>/publish/`: the text approved and not yet published) and the review form; the body's own
executor still opens them.

Found by a review (session 19, second round).
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


def _page(person: Person, url: str) -> tuple[int, str]:
    client = Client()
    client.force_login(person)
    response = client.get(url, follow=True)
    return response.status_code, response.content.decode()


def _question(p: Personas) -> Case:
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=question).case
    assert case is not None and case.origin == Case.Origin.GOVERNOR_POST
    actions.join_question(
        case, p.dave, p.roads, reason="Дорога к поликлинике — наша", now=msk(2024, 11, 5, 9, 0)
    )
    actions.set_require_approval(p.health, p.health_head, True)
    actions.submit_answer(case, p.alice, DRAFT, body=p.health, now=msk(2024, 11, 5, 9, 30))
    return case


def test_the_other_body_does_not_read_a_returned_answer_and_remark_in_the_revision_editor(
    personas: Personas,
) -> None:
    p = personas
    case = _question(p)
    remark = "Не пишите «где-то после праздников»: назовите дату выхода терапевта."
    actions.return_answer(case, p.health_head, remark, body=p.health, now=msk(2024, 11, 5, 9, 40))
    draft = case.drafts.get(assignment__body=p.health)
    assert draft.state == Draft.State.RETURNED
    assert DRAFT not in _page(p.dave, reverse("cases:detail", args=[case.pk]))[1]  # b833c3b holds here

    status, page = _page(p.dave, reverse("cases:revise", args=[case.pk, draft.pk]))
    assert DRAFT not in page and remark not in page, (
        f"Давыдов (Дороги) opens /cases/{case.pk}/drafts/{draft.pk}/revise/ ({status}) and reads the health "
        "committee's returned answer and its head's remark, hidden from him on the case page and the post page"
    )
    assert status == 404
    status, page = _page(p.alice, reverse("cases:revise", args=[case.pk, draft.pk]))
    assert (
        status == 200 and DRAFT in page and remark in page
    )  # the health committee's own executor revises it


def test_the_other_body_cannot_post_a_review_of_another_bodys_answer(personas: Personas) -> None:
    p = personas
    case = _question(p)
    draft = case.drafts.get(assignment__body=p.health)
    client = Client()
    client.force_login(p.dave)
    response = client.post(
        reverse("cases:review", args=[case.pk, draft.pk]), {"decision": "return", "comment": "Переделайте"}
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.state == Draft.State.SUBMITTED


def test_the_other_body_does_not_read_an_approved_unpublished_answer_on_the_publication_form(
    personas: Personas,
) -> None:
    p = personas
    case = _question(p)
    actions.approve_answer(case, p.health_head, body=p.health, now=msk(2024, 11, 5, 9, 40))
    draft = case.drafts.get(assignment__body=p.health)
    assert draft.state == Draft.State.APPROVED
    assert DRAFT not in _page(p.dave, reverse("cases:detail", args=[case.pk]))[1]

    status, page = _page(p.dave, reverse("cases:publish", args=[case.pk, draft.pk]))
    assert DRAFT not in page, (
        f"Давыдов (Дороги) opens /cases/{case.pk}/drafts/{draft.pk}/publish/ ({status}) and reads the health "
        "committee's approved answer before it is published"
    )
    assert status == 404
    status, page = _page(p.alice, reverse("cases:publish", args=[case.pk, draft.pk]))
    assert status == 200 and DRAFT in page  # the health committee's own executor confirms its publication
