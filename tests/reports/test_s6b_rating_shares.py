"""R-13 (clause 13): the quarterly rating's shares «обращения без нарушений сроков» and «обращения без отказа по
компетенции» are shares of the body's cases of the quarter — a case of the previous quarter whose deadline was
missed (or which was refused) after the quarter began must not lower the new quarter's share.

Before: the numerator counted every case with a violation detected in the quarter (or a rejection made in it),
whatever quarter the case was sent in, and the denominator the cases sent in the quarter: a body with one
September case breached on 1 October and one October case answered in time had «0 %» of its October–December
cases without violations instead of 100 %."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Violation
from otklik.reports import periods, rating
from tests.conftest import Personas, msk
from tests.reports.builders import TEXT, message, publish

pytestmark = pytest.mark.django_db
Q3 = periods.quarter(2025, 3)
Q4 = periods.quarter(2025, 4)


def answered_in_time(p: Personas, at_day: int) -> None:
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, at_day, 9, 0))], [Route(p.health)], now=msk(2025, 10, at_day, 10, 0)
    )
    draft = actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, at_day, 11, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 10, at_day, 11, 20))
    publish(p.alice, draft, msk(2025, 10, at_day, 11, 40))


def test_r13_a_september_case_breached_in_october_does_not_count_against_the_fourth_quarter(
    personas: Personas, client: Client
) -> None:
    p = personas
    # Tue 30.09.2025 17:00: a case for health; nobody drafts it; the sweep of Wed 01.10 finds its deadlines missed
    late = actions.dispatch_case(
        p.curator, [message(msk(2025, 9, 30, 16, 0))], [Route(p.health)], now=msk(2025, 9, 30, 17, 0)
    )
    sla.sweep(now=msk(2025, 10, 1, 17, 0))
    assert Violation.objects.filter(case=late, detected_at__gte=Q4.start).exists()
    answered_in_time(p, 7)
    answered_in_time(p, 8)

    q4 = {r["body"]: r for r in rating.build(Q4)["rows"]}
    health = q4["Здравоохранение"]["components"]
    assert health["no_violations"] == 1.0  # both October cases are without violations
    q3 = {r["body"]: r for r in rating.build(Q3)["rows"]}
    assert q3["Здравоохранение"]["components"]["no_violations"] == 0.0  # the September case is charged there

    client.force_login(p.observer)
    page = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    assert "100,0" in page


def test_r13_a_refusal_in_october_of_a_september_case_is_the_third_quarters(personas: Personas) -> None:
    p = personas
    refused = actions.dispatch_case(
        p.curator, [message(msk(2025, 9, 30, 17, 0))], [Route(p.roads)], now=msk(2025, 9, 30, 17, 30)
    )
    # within the 60-minute window that runs on into the next working morning
    actions.reject_assignment(
        p.dave, refused.assignments.get(), "Это поликлиника", now=msk(2025, 10, 1, 9, 15)
    )
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 7, 10, 0)
    )
    draft = actions.submit_draft(p.dave, case, "answer", TEXT, now=msk(2025, 10, 7, 11, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 10, 7, 11, 20))
    publish(p.dave, draft, msk(2025, 10, 7, 11, 40))

    roads = {r["body"]: r for r in rating.build(Q4)["rows"]}["Дороги"]["components"]
    assert roads["no_rejections"] == 1.0
    assert {r["body"]: r for r in rating.build(Q3)["rows"]}["Дороги"]["components"]["no_rejections"] == 0.0
