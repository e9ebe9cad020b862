"""R-8.10: the executor of a repeat of a case the curator closed without an answer is told the answer is still to
come («ещё не опубликован») and not why the earlier case was closed.

Scenario (relative to today, as the help beside the editor reads the last year). Five weeks ago at 10:00 the curator
sends Ирина's message «Когда отремонтируют дорогу в Гатчине? Ямы по колено.» to the health committee; at 12:00 she
closes it by decision: «Автор удалил сообщение, отвечать некому» (`actions.close_case`) — no answer was ever
published. A week later the same question comes again; the curator sends it to the health committee as a repeat of
that case (R-8.10). The executor Алексеева opens the draft editor.

What she sees now beside the editor: «Ранее отвечали (обращение № N …)», «состояние: закрыто» and «Ответ по
обращению № N ещё не опубликован.» — words for a case whose answer is on its way (as `test_a_repeat_of_a_case_not_
answered_yet_says_so` pins for an open case), while this one is closed and its answer will never be published; the
curator's reason for closing it, the one thing that tells her what happened before, is nowhere on the page (the
editor's help `similar.repeat_answers` reads only publications; the repeat's case page only links the earlier one,
which she may open, but the page she writes on says the answer is pending).

What she should see: that the earlier case was closed by the curator without an answer, with the curator's reason —
not that its answer is still to be published. (Found by a review, session 23.)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Case
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

QUESTION = "Когда отремонтируют дорогу в Гатчине? Ямы по колено."
REASON = "Автор удалил сообщение, отвечать некому"


def test_the_repeats_editor_says_the_earlier_case_was_closed_without_an_answer_and_why(
    client: Client, personas: Personas
) -> None:
    p = personas
    t = (timezone.localtime() - timedelta(days=35)).replace(hour=10, minute=0, second=0, microsecond=0)
    earlier = actions.dispatch_case(p.curator, [message(QUESTION)], [Route(p.health)], now=t)
    actions.close_case(p.curator, earlier, REASON, now=t + timedelta(hours=2))
    earlier.refresh_from_db()
    assert earlier.status == Case.Status.CLOSED and not earlier.publications.exists()

    repeat = actions.dispatch_case(
        p.curator, [message(QUESTION)], [Route(p.health)], now=t + timedelta(days=7), repeat_of=earlier
    )
    client.force_login(p.alice)
    response = client.get(reverse("cases:draft", args=[repeat.pk]))
    assert response.status_code == 200
    html = response.content.decode()

    assert f"Ответ по обращению № {earlier.pk} ещё не опубликован." not in html
    assert f"Обращение № {earlier.pk} куратор закрыл без ответа: <bdi>{REASON}</bdi>" in html
