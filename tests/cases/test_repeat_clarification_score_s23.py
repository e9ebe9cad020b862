"""R-8.10 with R-8.4, R-11, R-13: a clarification request in a repeat was docked for «no measures» (found by a review,
session 23).

Scenario. Case № 1 (health) was dispatched on 01.04.2025 10:00. On Monday 28.04.2025 10:00 the curator sends a new
message about the same pothole as a repeat of № 1 (R-8.10). At 11:00 the executor Алексеева cannot tell which house
the author means and sends a clarification request (R-8.4): «Ирина, здравствуйте! Уточните, пожалуйста, номер дома,
у которого яма?». The system itself holds that a clarification request states no measures (decision 0001, «Measures
in a repeat»: «A request for clarification needs none»; `actions.MEASURED` leaves it out, the editor does not require
the field for it, `test_r8_10_a_clarification_request_of_a_repeat_needs_no_measures`).

What the users see now: the stored score of that request is 80, not 100 — the checker is run with `repeat=True`
whatever the draft's kind, and its `missing_measures` finding («Повторное обращение: не сказано, что сделано или как
идёт решение (п. 8.10 Положения)») costs 20 points. The very same request in an ordinary case scores 100. The
curator reviewing the request sees that finding on the case page, and the body's average review score in the monthly
report and the quarterly rating (R-13; clarification requests are counted there) drops for a request that was right.

What they should see: a clarification request of a repeat is checked and scored like any clarification request —
no «missing measures» finding, the same score as outside a repeat.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from otklik.answers.findings import MESSAGES
from otklik.cases import actions
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)
REQUEST = "Ирина, здравствуйте! Уточните, пожалуйста, номер дома, у которого яма?"


def test_a_clarification_request_of_a_repeat_is_scored_as_any_clarification_request(
    client: Client, personas: Personas
) -> None:
    p = personas
    earlier = dispatch(p.curator, p.health, at=msk(2025, 4, 1, 10, 0))
    repeat = dispatch(p.curator, p.health, at=MON, repeat_of=earlier)
    ordinary = dispatch(p.curator, p.health, at=MON)

    asked = actions.submit_draft(p.alice, repeat, "clarification", REQUEST, now=MON + timedelta(hours=1))
    same = actions.submit_draft(p.alice, ordinary, "clarification", REQUEST, now=MON + timedelta(hours=1))
    # the score the monthly report and the rating average
    assert asked.score == same.score == 100, (asked.score, same.score)

    # what the curator reads when reviewing the request
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[repeat.pk])).content.decode()
    assert MESSAGES["missing_measures"].split(":")[0] not in page


def test_the_editors_live_check_asks_a_repeats_answer_for_measures_not_its_clarification_request(
    client: Client, personas: Personas
) -> None:
    """The editor's check (the form's fields, posted as typed): for the answer of a repeat it still says the measures
    are missing; for a clarification request of the same repeat it does not."""
    p = personas
    client.force_login(p.alice)
    missing = MESSAGES["missing_measures"].split(":")[0]
    form = {"text": REQUEST, "network": "vk", "author_name": "Ирина", "repeat": "1"}
    answer = client.post(reverse("answers:check"), {**form, "kind": "answer"}).content.decode()
    asking = client.post(reverse("answers:check"), {**form, "kind": "clarification"}).content.decode()
    assert missing in answer
    assert missing not in asking
