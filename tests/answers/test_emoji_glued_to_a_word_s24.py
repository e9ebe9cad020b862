"""Found by a review (session 24), fixed since. R-11, R-9, R-13: an emoji typed right after a word hides the word from the answer checker.

Scenario. On Monday 28.04.2025 10:00 the curator sends Ирина Петрова's VK message about a pothole to the health
body. At 11:00 the executor Алексеева writes the answer as people write in a social network (R-9, «формат общения в
социальной сети»), with an emoji right after the greeting, no space before it: «Ирина, добрый день😊 Яму у дома 5
заделали 3 мая.» — and, in another case, «Ирина, здравствуйте! Яму уже заделали👍».

What the users see now: the draft editor's check (and the curator on the case page) says «Нет приветствия: ответ
должен начинаться с приветствия» for the first one and «Нет сути: ни факта, ни даты, ни действия, ни места» for the
second; the stored scores are 85 and 75 (the case page «оценка проверки», the body's average in the monthly report and
the rating, R-13). With a space before the emoji both score 100. razdel keeps «день😊» and «заделали👍» as one token,
and `answers.text.analyse` parses that token as an unknown word, so the greeting lexicon and the verb of the done
action never see «день» and «заделали».

What they should see: an emoji next to a word changes nothing: no such findings, score 100, as with the space.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from otklik.answers.findings import MESSAGES
from otklik.cases import actions
from otklik.cases.models import Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)
GREETED = "Ирина, добрый день😊 Яму у дома 5 заделали 3 мая."
DONE = "Ирина, здравствуйте! Яму уже заделали👍"


@pytest.mark.parametrize(
    ("text", "code"), [(GREETED, "no_greeting"), (DONE, "no_substance")], ids=["greeting", "done"]
)
def test_an_emoji_next_to_a_word_does_not_hide_it_from_the_checker(
    client: Client, personas: Personas, text: str, code: str
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    said = MESSAGES[code].split(":")[0]  # «Нет приветствия», «Нет сути»

    # what the executor reads under the editor as she types (the form's fields, as the editor posts them)
    client.force_login(p.alice)
    fragment = client.post(
        reverse("answers:check"),
        {
            "text": text,
            "network": "vk",
            "author_name": "Ирина Петрова",
            "kind": "answer",
            "version": case.version,
        },
    ).content.decode()
    assert said not in fragment
    assert 'data-score="100"' in fragment

    # the score stored with the draft and what the curator reads on review
    draft = actions.submit_draft(p.alice, case, Draft.Kind.ANSWER, text, now=MON + timedelta(hours=1))
    assert draft.score == 100, draft.score
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert said not in page
