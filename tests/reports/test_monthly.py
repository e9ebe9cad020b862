"""R-13 monthly report on October 2025 (tests/reports/builders.py): every figure equals the hand-computed one,
the XLSX has native charts and the PDF opens (a page rendered to PNG by pdftoppm)."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from otklik.reports import export, monthly, periods
from tests.conftest import Personas
from tests.reports.builders import October, build_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


@pytest.fixture
def report(october: October) -> dict:
    return monthly.build(periods.month(2025, 10))


def _row(rows: list[dict], body: str) -> dict:
    return next(r for r in rows if r["body"] == body)


def test_timeliness_per_body_equals_the_hand_computed_figures(report: dict) -> None:
    t = report["timeliness"]
    # the curators' office is responsible for reviews (R-8.5), so it has a row of its own
    assert [r["body"] for r in t["rows"]] == [
        "Дороги",
        "Здравоохранение",
        "Управление информационной политики",
    ]
    health, roads, total = _row(t["rows"], "Здравоохранение"), _row(t["rows"], "Дороги"), t["total"]
    office = _row(t["rows"], "Управление информационной политики")
    assert (
        office["cases"] == 0 and office["stages"]["review"] == 1.0
    )  # A, B, B v2, C reviewed within the hour
    # cases: A, B, D (after reassignment), E for health; C and D (rejected) for roads; five cases in all
    assert (health["cases"], roads["cases"], total["cases"]) == (4, 2, 5)
    # health A, B in time, D breached, E still running; roads C in time
    assert (health["answer_deadlines"], health["answer_late"], health["on_time_share"]) == (3, 1, 0.6667)
    assert (roads["answer_deadlines"], roads["answer_late"], roads["on_time_share"]) == (1, 0, 1.0)
    assert total["on_time_share"] == 0.75
    expected_health = {
        "overall": 0.6667,
        "draft": 0.6667,  # A, B in time, D breached
        "review": None,  # reviews are the curators' office's
        "revise": 1.0,
        "publish": 0.5,  # B published at 14:00, due 12:30
    }
    assert {k: health["stages"][k] for k in expected_health} == expected_health
    assert all(v is None for k, v in health["stages"].items() if k not in expected_health)
    assert roads["stages"]["draft"] == 0.0 and roads["stages"]["publish"] == 1.0
    assert total["stages"]["draft"] == 0.5 and total["stages"]["publish"] == 0.6667
    # working minutes to the answer: A 110, B 195, C 410
    assert (health["answered"], health["median_minutes"], health["p90_minutes"]) == (2, 152.5, 195)
    assert (roads["median_minutes"], roads["p90_minutes"]) == (410.0, 410)
    assert (total["median_minutes"], total["p90_minutes"]) == (195.0, 410)
    # B's publication (alice), C's draft (dave), D's draft and answer (alice)
    assert (health["violations"], roads["violations"], total["violations"]) == (3, 1, 4)


def test_quality_figures_equal_the_hand_computed_ones(report: dict, october: October) -> None:
    q = report["quality"]
    health, roads, total = _row(q["rows"], "Здравоохранение"), _row(q["rows"], "Дороги"), q["total"]
    assert (health["drafts"], health["returns"], health["returns_per_draft"]) == (2, 1, 0.5)
    assert (roads["drafts"], roads["returns"], roads["returns_per_draft"]) == (1, 0, 0.0)
    assert (total["drafts"], total["returns"], total["returns_per_draft"]) == (3, 1, 0.3333)
    scores_h = [d.score for d in october.drafts_health]
    scores_r = [d.score for d in october.drafts_roads]
    assert all(s is not None for s in scores_h + scores_r)
    assert health["scored"] == 3 and health["avg_score"] == round(sum(scores_h) / 3, 2)  # type: ignore[arg-type]
    assert total["avg_score"] == round(sum(scores_h + scores_r) / 4, 2)  # type: ignore[arg-type]
    assert (health["repeats"], roads["repeats"], total["repeats"]) == (1, 0, 1)  # E repeats A
    assert (health["rejections"], roads["rejections"], total["rejections"]) == (0, 1, 1)  # D


def test_dynamics_against_the_previous_month_and_a_year_before(report: dict) -> None:
    d = report["dynamics"]
    assert d["periods"]["previous"]["key"] == "2025-09" and d["periods"]["year_ago"]["key"] == "2024-10"
    assert d["total"] == {"current": 7, "previous": 2, "year_ago": 1}

    def table(key: str) -> dict[str, tuple[int, int, int]]:
        return {r["name"]: (r["current"], r["previous"], r["year_ago"]) for r in d[key]["rows"]}

    assert table("topic_group") == {
        "Здравоохранение": (3, 0, 0),
        "Дороги": (2, 1, 0),
        "не определено": (2, 1, 1),
    }
    assert table("municipality") == {
        "Гатчинский муниципальный округ": (4, 0, 0),
        "Кировский муниципальный район": (1, 0, 0),
        "не определено": (2, 2, 1),
    }
    assert table("network") == {"ВКонтакте": (4, 2, 1), "Telegram": (2, 0, 0), "Одноклассники": (1, 0, 0)}
    assert table("importance") == {"обычная": (4, 1, 0), "высокая": (1, 0, 0), "не определено": (2, 1, 1)}


def test_xlsx_has_native_charts_and_the_same_figures(report: dict) -> None:
    wb = load_workbook(io.BytesIO(export.monthly_xlsx(report)))
    assert wb.sheetnames[:2] == ["Своевременность", "Качество"]
    ws = wb["Своевременность"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["Здравоохранение"][1] == 4 and rows["Здравоохранение"][2] == 66.7
    assert rows["Все органы"][-1] == 4
    assert len(ws._charts) == 2  # on-time share and violations
    assert len(wb["Качество"]._charts) == 1
    assert all(len(wb[name]._charts) == 1 for name in ("Группа тем", "Сеть", "Всего сообщений"))


def test_pdf_opens_and_renders_a_page(report: dict, tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    pdf = export.monthly_pdf(report)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")], check=True
    )
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].read_bytes().startswith(b"\x89PNG")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert "Ежемесячный отчёт: октябрь 2025" in text and "Здравоохранение" in text


def test_the_page_shows_the_report_to_an_observer_and_refuses_an_executor(
    report: dict, personas: Personas, client: object
) -> None:
    from django.test import Client

    c: Client = client  # type: ignore[assignment]
    c.force_login(personas.observer)
    page = c.get("/reports/monthly/?month=2025-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ежемесячный отчёт: октябрь 2025" in html and "66,7 %" in html and "2 ч 33 мин" in html
    xlsx = c.get("/reports/monthly/?month=2025-10&format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    c.force_login(personas.alice)
    assert c.get("/reports/monthly/?month=2025-10").status_code == 403
