"""Dashboards: the oblast at a glance for curators and observers; a body's head sees the body's cases."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.reports import dashboard
from tests.conftest import Personas, msk
from tests.reports.builders import October, build_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


def test_overview_counts_today_open_overdue_and_the_week(october: October) -> None:
    now = msk(2025, 10, 13, 12, 0)  # Monday: E dispatched at 10:00 today, D open and overdue
    o = dashboard.overview(now)
    assert o["incoming_today"] == 1  # E's message, 09:00
    assert o["open_total"] == 2  # D and E
    by_body = {r["body"]: r for r in o["by_body"]}
    # D: health is overdue; roads rejected it and is still on the case as a gone assignment
    assert by_body["Здравоохранение"]["overdue"] == 1 and by_body["Здравоохранение"]["open"] == 2
    assert o["overdue_total"] == 1
    assert [t["count"] for t in o["trend"]] == [1, 0, 0, 0, 0, 0, 1]  # 07.10 – 13.10: D's and E's messages
    assert o["by_place"] == [{"name": "Гатчинский муниципальный округ", "count": 2}]


def test_body_head_sees_their_cases_and_an_executor_gets_no_dashboard(
    october: October, personas: Personas, client: Client
) -> None:
    rows = dashboard.body_cases({personas.health.pk}, msk(2025, 10, 13, 12, 0))
    assert [(r["case"].pk, r["overdue"]) for r in rows] == [(october.d.pk, True), (october.e.pk, False)]
    client.force_login(personas.health_head)
    html = client.get("/reports/").content.decode()
    assert f"№ {october.d.pk}" in html and "Сводка" in html
    client.force_login(personas.observer)
    assert client.get("/reports/").status_code == 200
    client.force_login(personas.alice)
    assert client.get("/reports/").status_code == 403
