# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.4 («shows which comments are still unanswered»): on «Посты Губернатора» a body's people see how many
questions under each post their body has to answer, counted by the body's live part of each question — a
question handed over to the body counts for it, and no longer for the body that handed it over. Tuesday
05.11.2024. Found by a review (session 18)."""

from __future__ import annotations

import pytest

from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import ROADS_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r7_4_a_question_handed_over_to_the_body_counts_among_its_questions_on_the_list(p: Personas) -> None:
    """A question about a road is routed to the roads committee at 10:25; Давыдов finds it is the health
    committee's (the road to the clinic is the clinic's own ground) and hands it over at 10:40. Алексеева of
    health opens «Посты Губернатора»: the post shows 1 question in work, 1 of them her body's; Давыдов's list
    shows the same question and none of it his body's."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    assert case is not None and case.assignments.get().body == p.roads
    actions.hand_over(
        case, p.dave, p.health, reason="подъезд к поликлинике — её территория", now=msk(2024, 11, 5, 10, 40)
    )

    def cell(login: str) -> str:
        page = client_for(login).get("/governor/").content.decode()
        row = page.split(f'data-watch="{post.watch.pk}"')[1].split("</tr>")[0]
        return row.split('data-testid="open-questions">')[1].split("</td>")[0].strip()

    assert cell("alice") == "1 (<strong>1</strong>)"
    assert cell("dave") == "1 (0)"
