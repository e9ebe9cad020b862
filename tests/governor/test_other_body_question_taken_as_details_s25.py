# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""Found by a review (session 25), fixed since. R-7.3 with R-7.2: a new question for another body, written by the author after a body's interim answer, is
swallowed as that body's «details».

Tuesday 05.11.2024: the Governor's post at 10:00, a health question at 10:20; the health committee's interim answer
asking which clinic is published at 10:41 (R-7.3). At 11:10 the same resident writes, not as a reply to the request,
a roads question under the post: «Когда отремонтируют дорогу в Гатчине? Ямы по колено.» — a question within the
roads committee's competence, which it must answer within 2 working hours (R-7.2). Otklik takes it as the author's
answer to the health committee's request (`governor.service._analyse`: `_awaiting_case` is asked before the question
is routed, and takes ANY comment of the author): the roads committee never gets a question, and the health committee
is told «Автор ответил на уточнение» with a text about roads and a 2-hour term to answer it.

The same code already keeps such a comment a question of its own when it continues the details
(`details_continue`: «a question for another body than those answering is a question of its own»); the first comment
after the request is not checked so. Expected: the roads question is routed to the roads committee (its own case with
an R-7.2 term), not taken as the health committee's details. Cause: src/otklik/governor/service.py, `_analyse`
(the `waiting = _awaiting_case(message)` branch)."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, ROADS_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r7_3_a_roads_question_after_the_health_request_goes_to_the_roads_committee(p: Personas) -> None:
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    health_case = Comment.objects.get(message=question).case
    assert health_case is not None and health_case.assignments.get().body == p.health
    actions.submit_answer(
        health_case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, какая поликлиника и какой адрес?",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    actions.confirm_publication(
        health_case, method="api", external_id="-1_1_r1", now=msk(2024, 11, 5, 10, 41)
    )

    # the same resident, a new question about roads — no reply to the request, no word about the clinic
    roads = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 11, 10), author="301")
    service.process_comments(now=msk(2024, 11, 5, 11, 15))

    triaged = Comment.objects.get(message=roads)
    roads_case = triaged.case
    assert triaged.kind == Comment.Kind.QUESTION and roads_case is not None and roads_case != health_case, (
        f"the roads question is «{triaged.get_kind_display()}» ({triaged.reason}) of question № "
        f"{roads_case.pk if roads_case else '—'} of the health committee, not a question of the roads committee"
    )
    assert roads_case.assignments.get().body == p.roads
    health_case.refresh_from_db()
    assert health_case.status == Case.Status.AWAITING_AUTHOR  # still waiting for the clinic's name
