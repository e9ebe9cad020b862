"""Found by a review (session 24), fixed since. R-7.4 («shows which comments are still unanswered»), R-7.2 (several bodies answer one question): on «Посты
Губернатора» the column «Вопросов в работе (у вашего органа)» tells a body's people how many questions under the
post their body still has to answer. A body that has already published its own answer to a question that another
body is still answering must not see it counted as its own.

Scenario (the clock of tests/governor/test_join_flow.py): the Governor's post comes out on Friday 01.11.2024 at
17:30; at 17:40 a resident asks about the road; the analysis routes it to roads. On Saturday 02.11 (a working day)
at 09:30 Алексеева joins for health (the road to the clinic), at 09:50 she answers health's part and the answer is
published at 09:51. Roads (Давыдов) has not answered yet.

Now: Алексеева's list shows the question as «1 (1)» — one question in work, one of them her body's — although
health has nothing left to do; she opens the post to find her part already «ответ дан».

Should be: «1 (0)» for health (the question is still in work — roads' part — but not health's), «1 (1)» for roads.
"""

from __future__ import annotations

import re

import pytest

from otklik.cases.models import Assignment
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import ROADS_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r7_4_a_body_that_answered_its_part_has_no_question_of_its_own_left_on_the_list(
    p: Personas,  # noqa: F811
) -> None:
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 30))
    msg = comment(post, ROADS_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 2, 9, 0))
    case = Comment.objects.get(message=msg).case
    assert case is not None and [a.body for a in actions.parts_of(case)] == [p.roads]

    actions.join_question(
        case, p.alice, p.health, reason="подъезд к поликлинике", now=msk(2024, 11, 2, 9, 30)
    )
    actions.submit_answer(
        case,
        p.alice,
        "Подъезд к поликлинике отремонтируем в мае.",
        body=p.health,
        now=msk(2024, 11, 2, 9, 50),
    )
    actions.confirm_publication(case, method="api", external_id="h1", now=msk(2024, 11, 2, 9, 51))
    parts = {a.body: a.state for a in actions.parts_of(case)}
    assert parts == {p.roads: Assignment.State.ACTIVE, p.health: Assignment.State.DONE}

    def cell(login: str) -> str:
        page = client_for(login).get("/governor/").content.decode()
        row = page.split(f'data-watch="{post.watch.pk}"')[1].split("</tr>")[0]
        found = re.search(r'data-testid="open-questions">(.*?)</td>', row, re.S)
        assert found, row
        return re.sub(r"<[^>]+>", "", found.group(1)).strip()

    assert cell("dave") == "1 (1)"
    assert cell("alice") == "1 (0)"
