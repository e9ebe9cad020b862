"""R-3, R-4.1–4.3, R-7.1: what another organisation sees of a body's answer under the Governor's post.

Every body's staff sees the Governor's posts so that a body can take or join a question in its competence. A body's
unpublished wording (a draft on approval, a returned one) is read only by its own people and the office (curators,
observers); the people of every other organisation — an oblast committee or a municipal administration — see what
was published. Found by a review (session 18): a returned, never published answer was on the post page for all."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case, Draft
from otklik.governor import actions
from otklik.governor.models import Comment
from otklik.org.models import Body, Municipality, Person, Role
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    answer_link,
)

pytestmark = pytest.mark.django_db

DRAFT = "Здравствуйте! Терапевт, по нашим сведениям, выйдет на работу где-то после праздников, уточняем."


def _page(person: Person, watch_pk: int) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("governor:post", args=[watch_pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_r4_2_another_organisation_does_not_read_a_bodys_returned_unpublished_answer(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    p, watch_pk, case, _ = post_with_question  # a health question under the post of 1.11.2024
    actions.set_require_approval(p.health, p.health_head, True)
    actions.submit_answer(case, p.alice, DRAFT, now=msk(2024, 11, 2, 9, 30))
    actions.return_answer(case, p.health_head, "Не пишите «где-то», дайте дату.", now=msk(2024, 11, 2, 9, 40))
    assert case.drafts.get().state == Draft.State.RETURNED
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    district = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    municipal = make_person("gatchina_exec", district, Role.Kind.EXECUTOR, last_name="Гаврилова")

    assert DRAFT in _page(p.alice, watch_pk)  # the body's own people read their draft
    for outsider in (p.dave, p.roads_head, municipal):
        page = _page(outsider, watch_pk)
        assert DRAFT not in page, (
            f"{outsider} ({outsider.body}) reads the health committee's unpublished, returned answer on the "
            "Governor's post page"
        )
    assert DRAFT in _page(p.curator, watch_pk)  # the office reads it


def test_r4_2_another_organisation_reads_what_the_body_published(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """What went out under the Governor's post is public: every body's people read the published answer."""
    p, watch_pk, case, _ = post_with_question  # a health question under the post of 1.11.2024
    answer = "Здравствуйте! Терапевт выйдет на работу 11 ноября, приём с 9 до 18."
    draft = actions.submit_answer(case, p.alice, answer, now=msk(2024, 11, 2, 9, 30))
    actions.confirm_publication(
        case,
        method="manual",
        url=answer_link(case, 77),
        actor=p.alice,
        now=msk(2024, 11, 2, 9, 40),
    )
    draft.refresh_from_db()
    assert draft.state == Draft.State.PUBLISHED
    assert answer in _page(p.dave, watch_pk)
