"""R-13 with R-8.3, R-8.9 (docs/decisions/0005-parts-one-by-one-overall-term.md): the monthly report of a body that
held up an answer published one by one.

The scenario of tests/cases/test_parts_one_by_one_s21.py: one case, health's part approved Tue 10:00 and published
4 h 20 min late, roads' part published in time, the answer late. What a user now sees: «Здравоохранение» received one
case and answered it once, late — 1 case, 1 answer term, 1 answer, «Ответ в срок» 0 %, its working time to the
answer counted from health's own receipt of the message (Mon 10:00) to the answer it answered for (Tue 15:00): 12 ч
30 мин. The report counts a body's answer once a case (`reports.monthly._body_answers`), though health holds two R-8.3
deadlines on it: its own, met at its part, and the whole answer's term passed to it. Before, it counted two terms
and two answers («Ответ в срок» 50 %, median 6 ч 15 мин, the longer one from roads' receipt), and the quarterly
rating took the same 50 %. Found by a review (session 21)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.test_parts_one_by_one_s21 import _health_publishes_late
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_body_that_held_the_answer_up_has_one_answer_for_its_one_case(
    personas: Personas, client: Client
) -> None:
    p = personas
    _health_publishes_late(p)
    client.force_login(p.observer)
    rows = {
        r["body"]: r
        for r in client.get("/reports/monthly/?month=2025-03&format=json").json()["timeliness"]["rows"]
    }
    health = rows["Здравоохранение"]
    assert health["cases"] == 1
    assert (health["answer_deadlines"], health["answered"]) == (1, 1), (
        f"«Здравоохранение» received 1 case and answered it once, late; the report counts "
        f"{health['answer_deadlines']} answer terms, {health['answered']} answers, «Ответ в срок» "
        f"{health['on_time_share']:.0%}, median {health['median_minutes']} min, p90 {health['p90_minutes']} min"
    )
    assert (health["answer_late"], health["on_time_share"]) == (1, 0.0)
    # Mon 10:00–13:00, 13:45–18:00, Tue 09:00–13:00, 13:45–15:00: from health's receipt to the answer
    assert (health["median_minutes"], health["p90_minutes"]) == (750, 750)
    roads = rows["Дороги"]
    assert (roads["answer_deadlines"], roads["answer_late"], roads["answered"]) == (1, 0, 1)
