"""Found by a review (session 24), fixed since. R-8.4 with R-11, R-13: a clarification request phrased as a question is marked «Нет сути» and loses 25 points.

Scenario. On Monday 28.04.2025 10:00 the curator sends Ирина Петрова's VK message «Третий день не могу записать
ребёнка к педиатру в поликлинике, что делать?» to the health body. At 11:00 the executor Алексеева needs the child's
age before she can say where to book and sends a clarification request (R-8.4,
kind «запрос (уточнение)»): «Ирина, здравствуйте! Сколько лет ребёнку?».

What the users see now: the stored score of the request is 75 (the case page, «оценка проверки 75»; the body's
average in the monthly report and the quarterly rating, R-13), and the curator reviewing it at 11:05 reads the
finding «Нет сути: ни факта, ни даты, ни действия, ни места (п. 9 Положения)» with the advice «Добавьте суть: что
сделано или будет сделано, где и когда». The same request worded «Подскажите, сколько лет ребёнку» scores 100:
`rules._collect_signals` counts only an imperative («уточните», «подскажите» …) as a clarification request, never a
question, and the checker is not told the draft is a clarification request at all. docs/quality.md itself says
`no_substance` is only raised when there is «no clarification request»; a clarification request asks, it has nothing
done to report (decision 0001: «A request for clarification needs none»).

What they should see: a clarification request that asks a question is not «without substance»: score 100, no such
finding on the case page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from otklik.answers.findings import MESSAGES
from otklik.cases import actions
from otklik.cases.models import Draft
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)
QUESTION = "Ирина, здравствуйте! Сколько лет ребёнку?"
IMPERATIVE = "Ирина, здравствуйте! Подскажите, сколько лет ребёнку."


def test_a_clarification_question_is_not_marked_as_without_substance(
    client: Client, personas: Personas
) -> None:
    p = personas
    asked = message("Третий день не могу записать ребёнка к педиатру в поликлинике, что делать?")
    case = actions.dispatch_case(p.curator, [asked], [actions.Route(p.health, 1)], now=MON)
    draft = actions.submit_draft(
        p.alice, case, Draft.Kind.CLARIFICATION, QUESTION, now=MON + timedelta(hours=1)
    )

    # the same request worded as an imperative is faultless
    other = actions.dispatch_case(
        p.curator, [message("Не могу записать ребёнка к педиатру.")], [actions.Route(p.health, 1)], now=MON
    )
    same = actions.submit_draft(
        p.alice, other, Draft.Kind.CLARIFICATION, IMPERATIVE, now=MON + timedelta(hours=1)
    )
    assert same.score == 100

    # the score stored with the request (the case page, the monthly report and the rating, R-13)
    assert draft.score == 100, draft.score

    # what the curator reads when reviewing the request
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert MESSAGES["no_substance"].split(":")[0] not in page
