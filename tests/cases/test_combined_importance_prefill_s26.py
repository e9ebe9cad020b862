"""Found by a review (session 26), fixed since. R-8.1, R-8.3 (review 61, lead 3): the curator ticks two messages about one clinic in the inbox and presses
«Направить выбранные одним обращением». The earlier one («Поддерживаю, в поликлинике Гатчины нет записи») is
ordinary; the later one says a child with a fever of 40 gets no doctor, and the analysis marked it high
importance («дети, угроза здоровью») — the inbox showed the badge «Важность: высокая» on its row.

The dispatch form (`cases.views.dispatch`, src/otklik/cases/views.py:983-984) is prefilled from the suggestions of
the lead (earliest) message only (`suggest.prefill(suggestions_for(message))`): «Важность» stands at «обычная» and
the form names no importance hint at all, so one click on «Направить» sends the case with 9 working hours instead of
4 (R-8.3), though the machine flagged a message of the very case as high importance.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.intake.models import Message
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def suggest(m: Message, kind: str, value: dict[str, object], confidence: float = 0.8) -> None:
    Suggestion.objects.create(
        message=m, kind=kind, value=value, confidence=confidence, model_version="test-1"
    )


def selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)" selected>', select[1])


def test_a_high_importance_message_combined_second_sets_the_cases_importance(
    client: Client, personas: Personas
) -> None:
    p = personas
    first = message("Поддерживаю, в поликлинике Гатчины нет записи к терапевту", author="Олег Смирнов")
    urgent = message(
        "У ребёнка температура 40 третий день, в поликлинике Гатчины нет записи, врач не приходит",
        author="Ирина Петрова",
    )
    for m in (first, urgent):
        suggest(m, Kind.MODERATION, {"blocked": False, "reasons": [], "score": 0.01}, 0.99)
    suggest(first, Kind.IMPORTANCE, {"level": "normal", "reasons": []})
    suggest(urgent, Kind.IMPORTANCE, {"level": "high", "reasons": ["дети", "угроза здоровью"]})

    client.force_login(p.curator)
    # the inbox's «Направить выбранные одним обращением»: the earliest leads, the other goes as «also»
    picked = client.get(reverse("cases:inbox"), {"combine": "1", "pick": [first.pk, urgent.pk]})
    assert picked.status_code == 302
    assert picked["Location"].startswith(reverse("cases:dispatch", args=[first.pk]))
    page = client.get(picked["Location"]).content.decode()
    assert f'value="{urgent.pk}" checked' in page  # both messages are on the form, to go into one case

    assert selected(page, "importance") == ["high"] or "Важность: высокая" in page, (
        "a message of the case is high importance (R-8.3: 4 hours), yet the form offers «обычная» and says nothing"
    )
    assert selected(page, "importance") == ["high"]
    assert f"высокая — по сообщению № {urgent.pk}" in page
