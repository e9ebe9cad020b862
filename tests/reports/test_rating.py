"""R-13: the quarterly rating — a transparent formula with editable weights, each component, rank and change."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from otklik.reports import periods, rating
from otklik.reports.models import RatingComponent
from tests.conftest import Personas
from tests.reports.builders import October, build_october

pytestmark = pytest.mark.django_db
Q4 = periods.quarter(2025, 4)


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


def _expected(values: dict[str, float], weights: dict[str, float]) -> float:
    return round(100 * sum(weights[k] * v for k, v in values.items()) / sum(weights.values()), 1)


def test_rating_components_rank_and_change_since_last_quarter(october: October) -> None:
    data = rating.build(Q4)
    assert [c["weight"] for c in data["formula"]] == [3, 1, 2, 2, 1, 1]
    rows = {r["body"]: r for r in data["rows"]}
    assert set(rows) == {"Здравоохранение", "Дороги"}  # the curators' office has no cases of its own
    health_score = sum(d.score for d in october.drafts_health) / 3 / 100  # type: ignore[misc]
    roads_score = october.drafts_roads[0].score / 100  # type: ignore[operator]
    health = {  # A, B in time, D late; 9 stage deadlines, 3 late; 1 return per 2 drafts; B, D violated of 4 cases
        "on_time": 0.6667,
        "stages_on_time": 0.6667,
        "no_returns": 0.5,
        "score": round(round(health_score * 100, 2) / 100, 4),
        "no_violations": 0.5,
        "no_rejections": 1.0,
    }
    roads = {
        "on_time": 1.0,
        "stages_on_time": 0.6667,
        "no_returns": 1.0,
        "score": roads_score,
        "no_violations": 0.5,
        "no_rejections": 0.5,
    }
    assert rows["Здравоохранение"]["components"] == health
    assert rows["Дороги"]["components"] == roads
    weights = {
        "on_time": 3,
        "stages_on_time": 1,
        "no_returns": 2,
        "score": 2,
        "no_violations": 1,
        "no_rejections": 1,
    }
    assert rows["Здравоохранение"]["score"] == _expected(health, weights)
    assert rows["Дороги"]["score"] == _expected(roads, weights)
    assert [r["body"] for r in data["rows"]] == ["Дороги", "Здравоохранение"] and data["rows"][0]["rank"] == 1
    # Q3: roads had case F (its draft sent in time, no return, then closed as a duplicate; no violations, no
    # rejection; on time — : its answer's term was lifted by the closing); health was not rated
    f_score = october.f.drafts.get().score / 100  # type: ignore[operator]
    q3 = {
        "stages_on_time": 1.0,
        "no_returns": 1.0,
        "score": f_score,
        "no_violations": 1.0,
        "no_rejections": 1.0,
    }
    before = _expected(q3, {k: weights[k] for k in q3})
    assert rows["Дороги"]["previous_score"] == before and rows["Дороги"]["previous_rank"] == 1
    assert rows["Дороги"]["score_change"] == round(rows["Дороги"]["score"] - before, 1)
    assert rows["Здравоохранение"]["score_change"] is None


def test_an_administrator_changes_a_weight_and_the_rating_follows(october: October) -> None:
    RatingComponent.objects.exclude(metric="on_time").update(is_active=False)
    data = rating.build(Q4)
    assert [(r["body"], r["score"]) for r in data["rows"]] == [("Дороги", 100.0), ("Здравоохранение", 66.7)]


def test_rating_page_shows_the_formula_and_the_cli_writes_files(
    october: October, personas: Personas, client: Client, tmp_path: Path
) -> None:
    client.force_login(personas.observer)
    html = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    assert "доля ответов в срок (п.\u00a08.3)" in html and "Здравоохранение" in html  # «п. 8.3» on one line
    assert (
        "<th>Изменение к 3 кв. 2025 г.</th>" in html
    )  # the quarter before 2025Q4, no misdeclined «с 3 квартал»
    out = tmp_path / "r.json"
    call_command("report", "rating", "--quarter", "2025Q4", "--format", "json", "-o", str(out))
    assert [r["body"] for r in json.loads(out.read_text())["rows"]] == ["Дороги", "Здравоохранение"]
    xlsx = tmp_path / "r.xlsx"
    call_command("report", "rating", "--quarter", "2025Q4", "--format", "xlsx", "-o", str(xlsx))
    assert len(load_workbook(io.BytesIO(xlsx.read_bytes())).active._charts) == 1
    monthly = tmp_path / "m.json"
    call_command("report", "monthly", "--month", "2025-10", "--format", "json", "-o", str(monthly))
    assert json.loads(monthly.read_text())["timeliness"]["total"]["violations"] == 4
    pdf = tmp_path / "m.pdf"
    call_command("report", "monthly", "--month", "2025-10", "--format", "pdf", "-o", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    viol = tmp_path / "v.json"
    call_command(
        "report",
        "violations",
        "--from",
        "2025-10-01",
        "--to",
        "2025-10-31",
        "--format",
        "json",
        "-o",
        str(viol),
    )
    assert json.loads(viol.read_text())["total"] == 4
