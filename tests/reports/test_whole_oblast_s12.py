"""R-8.1, R-13 (review of 2026-11-30): messages of cases about the oblast as a whole are counted under
«Ленинградская область в целом» in the monthly report (page data, XLSX, JSON) and on the dashboard, and the place
rows still add up to the total."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from otklik.org.models import Municipality, Topic, TopicGroup
from otklik.reports import dashboard, export, monthly, periods
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r13_the_place_rows_add_up_with_cases_about_the_whole_oblast(
    client: Client, personas: Personas
) -> None:
    """Passes today: kept as coverage of the XLSX and JSON with «Ленинградская область в целом»."""
    group = TopicGroup.objects.create(name="Здравоохранение")
    topic = Topic.objects.create(group=group, name="Зарплаты")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    client.force_login(personas.curator)
    sent = [
        (message("Когда поднимут зарплаты врачам в области?"), "oblast"),
        (message("Зарплаты медсестёр в области"), "oblast"),
        (message("Врачи в Гатчине без зарплаты"), str(gatchina.pk)),
    ]
    for m, place in sent:
        response = client.post(
            reverse("cases:dispatch", args=[m.pk]),
            {"body_1": personas.health.pk, "topic": topic.pk, "municipality": place},
        )
        assert response.status_code == 302
    message("Спасибо!")  # not taken into work

    now = timezone.now()
    today = timezone.localdate()
    report = monthly.build(periods.month(today.year, today.month), now=now)
    rows = {r["name"]: r["current"] for r in report["dynamics"]["municipality"]["rows"]}
    assert rows == {
        "Ленинградская область в целом": 2,
        "Гатчинский муниципальный округ": 1,
        "не определено": 1,
    }
    assert sum(rows.values()) == report["dynamics"]["total"]["current"] == 4

    data = json.loads(export.to_json(report))
    assert {r["name"]: r["current"] for r in data["dynamics"]["municipality"]["rows"]} == rows

    book = load_workbook(io.BytesIO(export.monthly_xlsx(report)))
    sheet = book["Муниципальное образование"]
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells == rows

    week = {r["name"]: r["count"] for r in dashboard.overview(now)["by_place"]}
    assert week == rows
