"""Found by a review (session 26), fixed since. Review 72, R-13: with «обращения без отказа по компетенции» set to weight 0 in the admin, a body whose only
case it refused (R-8.2) is rated 100 points on «no violations» alone and takes first place above a body that
answered its citizen on time.

Scenario (4th quarter 2025, default schedule, real actions): the administrator sets the weight of
«обращения без отказа по компетенции» to 0 (the office decides a refusal as such is not to be punished; the
page says a component with weight 0 «не учитывается»). On Mon 06.10.2025 the curator sends one message to health
(10:00): alice drafts at 11:00, the curator approves at 11:30, alice publishes at 11:50 — everything in time.
At 10:05 the curator sends another message to roads; dave refuses it at 10:30 (within the window) and the
curator closes the case at 10:40. Roads answered nothing in the quarter.

What the office sees on /reports/rating/?quarter=2025Q4: «1 — Дороги — 100», «2 — Здравоохранение — 98,9».
rating.py says (module docstring, lines 7–9) that «no violations» and «no refusals» alone are no work and «would
rank at 100 a body that has only just received its first case»: the filter in `_ranked` (rating.py:229–232)
lets roads in because of its refusal, and `_score` then drops the refusal component (weight 0) and scores roads
on «no violations» alone — exactly 100.
"""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.reports import periods, rating
from otklik.reports.models import RatingComponent
from tests.conftest import Personas, msk
from tests.reports.builders import TEXT, message, publish

pytestmark = pytest.mark.django_db
M = RatingComponent.Metric


def test_body_that_only_refused_is_not_first_with_100(personas: Personas) -> None:
    """The vice-governor reads the rating: the body that answered no one must not be first with 100 points
    ahead of the body that answered in time (R-13: a rating by the quality of the bodies' work)."""
    p = personas
    admin = Client()
    admin.force_login(p.admin)
    comp = RatingComponent.objects.get(metric=M.NO_REJECTIONS)
    # the administrator's edit, through the admin site's change form
    resp = admin.post(
        f"/admin/reports/ratingcomponent/{comp.pk}/change/",
        {
            "metric": comp.metric,
            "weight": "0",
            "description": comp.description,
            "is_active": "on",
            "order": comp.order,
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    comp.refresh_from_db()
    assert comp.weight == 0

    h = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 6, 9, 0))], [Route(p.health)], now=msk(2025, 10, 6, 10, 0)
    )
    d = actions.submit_draft(p.alice, h, "answer", TEXT, now=msk(2025, 10, 6, 11, 0))
    actions.approve_draft(p.curator, d, now=msk(2025, 10, 6, 11, 30))
    publish(p.alice, d, msk(2025, 10, 6, 11, 50))

    r = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 6, 9, 5))], [Route(p.roads)], now=msk(2025, 10, 6, 10, 5)
    )
    actions.reject_assignment(p.dave, r.assignments.get(), "Не наш вопрос", now=msk(2025, 10, 6, 10, 30))
    actions.close_case(p.curator, r, "Вопрос не к органам области", now=msk(2025, 10, 6, 10, 40))

    data = rating.build(periods.quarter(2025, 4), now=msk(2026, 1, 15, 12, 0))
    rows = {row["body"]: row for row in data["rows"]}
    assert "Здравоохранение" in rows
    roads = rows.get("Дороги")
    assert roads is None or (roads["score"] < 100 and roads["rank"] > rows["Здравоохранение"]["rank"]), (
        f"Дороги: место {roads['rank']}, балл {roads['score']}, составляющие {roads['components']}; "
        f"Здравоохранение: место {rows['Здравоохранение']['rank']}, балл {rows['Здравоохранение']['score']}"
    )
