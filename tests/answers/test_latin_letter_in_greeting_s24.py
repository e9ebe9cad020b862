"""Found by a review (session 24), fixed since. R-11: a greeting typed with one Latin look-alike letter is reported as missing.

Scenario. On Monday 28.04.2025 10:00 the curator sends Ирина Петрова's VK message about a pothole to the health
body. At 11:00 the executor Алексеева types the answer and, switching the keyboard layout one key too late, writes
the «с» of the greeting with the Latin «c» (U+0063, the same key): «Ирина, здравcтвуйте! Яму у дома 5 заделали 3
мая.» On the screen, and in VK after publication, the greeting reads exactly as «здравствуйте».

What the users see now: under the editor, and on the case page when the curator reviews it at 11:05, the checker
says «Нет приветствия: ответ должен начинаться с приветствия (п. 11 Положения)» and advises «Начните с приветствия:
«Здравствуйте, Ирина!»» — for a text that visibly starts with that greeting; nothing points at the word, so the
executor cannot tell what to fix, and the stored score loses 15 points for a greeting the author does read. The
same happens with «добрый дeнь» (Latin «e») and with the author's name («Здравствуйте, Иpина!» → «Автор не назван по
имени»). The moderation of incoming messages reads Latin look-alikes as Cyrillic (`analysis.moderation.LOOKALIKES`);
the answer checker (`answers.text.analyse`, `rules.greeting_span`) does not.

What they should see: no claim that the greeting is missing (the greeting is there; if the Latin letter is worth a
remark, a remark that points at the word).
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
TEXT = "Ирина, здравcтвуйте! Яму у дома 5 заделали 3 мая."  # the «c» of «здравcтвуйте» is Latin
NO_GREETING = MESSAGES["no_greeting"].split(":")[0]  # «Нет приветствия»


def test_a_greeting_with_a_latin_look_alike_letter_is_not_reported_missing(
    client: Client, personas: Personas
) -> None:
    assert "c" in TEXT and TEXT.replace("c", "с") != TEXT  # the scenario's text really holds the Latin letter
    p = personas
    case = dispatch(p.curator, p.health, at=MON)

    # what the executor reads under the editor (the form's fields, as the editor posts them)
    client.force_login(p.alice)
    fragment = client.post(
        reverse("answers:check"),
        {
            "text": TEXT,
            "network": "vk",
            "author_name": "Ирина Петрова",
            "kind": "answer",
            "version": case.version,
        },
    ).content.decode()
    assert NO_GREETING not in fragment

    # what the curator reads when reviewing it
    actions.submit_draft(p.alice, case, Draft.Kind.ANSWER, TEXT, now=MON + timedelta(hours=1))
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert NO_GREETING not in page
