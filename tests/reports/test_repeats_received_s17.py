"""R-13: a body's «Повторов» (quality) and «Обращений» (timeliness) count the same cases: those it received.
Found by a review (session 17); each test's text tells what the report or page showed before the fix."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db


def test_monthly_quality_does_not_give_a_repeat_to_a_body_that_never_received_it(
    personas: Personas, client: Client
) -> None:
    """R-8.10, R-8.9: a repeat sent to roads first and health second, closed as a duplicate before health's turn.
    The timeliness table no longer counts the case as health's (it never received it); the quality table still
    says «Здравоохранение — повторов: 1», a body with no case at all in the month."""
    p = personas
    first = actions.dispatch_case(
        p.curator, [message(msk(2025, 9, 1, 9, 0))], [Route(p.roads)], now=msk(2025, 9, 1, 10, 0)
    )
    repeat = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 2, 9, 0))],
        [Route(p.roads, 1), Route(p.health, 2)],
        repeat_of=first,
        now=msk(2025, 10, 2, 10, 0),
    )
    actions.close_case(p.curator, repeat, "Дубль", now=msk(2025, 10, 2, 10, 5))
    client.force_login(p.observer)
    report = client.get("/reports/monthly/?month=2025-10&format=json").json()
    cases = {r["body"]: r["cases"] for r in report["timeliness"]["rows"]}
    repeats = {r["body"]: r["repeats"] for r in report["quality"]["rows"]}
    assert cases.get("Здравоохранение", 0) == 0
    assert repeats.get("Здравоохранение", 0) == 0, (
        f"health: {cases.get('Здравоохранение', 0)} cases, {repeats['Здравоохранение']} repeat(s)"
    )
