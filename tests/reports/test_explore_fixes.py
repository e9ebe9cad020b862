"""Bugs found by exploratory testing of the reports (R-12, R-13): periods out of range, filter mistakes, the rating
PDF and XLSX, the rating's quarter navigation, and the dashboard's today versus the week."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from otklik.intake.models import Message
from otklik.reports import dashboard, export, periods, rating
from tests.conftest import Personas, msk
from tests.reports.builders import October, build_october, message

pytestmark = pytest.mark.django_db
Q4 = periods.quarter(2025, 4)
CHANGE, PLACE_BEFORE = "Изменение балла к 3 кв. 2025 г.", "Место в 3 кв. 2025 г."
OUT_OF_RANGE = "Отчёты строятся за 2000–2100 годы"


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


@pytest.fixture
def observer(personas: Personas, client: Client) -> Client:
    client.force_login(personas.observer)
    return client


# ------------------------------------------------------------------ item 2: periods out of the supported range
@pytest.mark.parametrize(
    "url",
    [
        "/reports/monthly/?month=0001-01",
        "/reports/monthly/?month=0001-02",
        "/reports/monthly/?month=9999-12",
        "/reports/rating/?quarter=0001Q1",
        "/reports/rating/?quarter=9999Q4",
        "/reports/violations/?from=0001-01-01&to=9999-12-31",
        "/reports/violations/?from=0000-01-01&to=2026-01-01",
        "/reports/monthly/?month=0001-01&format=pdf",
    ],
)
def test_r13_a_period_out_of_range_is_explained_not_a_server_error(observer: Client, url: str) -> None:
    page = observer.get(url)
    assert page.status_code == 400
    html = page.content.decode()
    assert OUT_OF_RANGE in html and "вне этого диапазона" in html
    assert "<form" in html  # the filter is there to correct the period


def test_r13_the_first_and_last_supported_months_still_build(observer: Client) -> None:
    assert observer.get("/reports/monthly/?month=2000-01").status_code == 200
    assert observer.get("/reports/monthly/?month=2100-12").status_code == 200
    assert observer.get("/reports/rating/?quarter=2000Q1").status_code == 200
    assert observer.get("/reports/violations/?from=2000-01-01&to=2100-12-31").status_code == 200


@pytest.mark.parametrize(
    "args",
    [
        ["monthly", "--month", "0001-01"],
        ["monthly", "--month", "0001-02"],
        ["rating", "--quarter", "0001Q1"],
        ["violations", "--from", "0001-01-01", "--to", "9999-12-31"],
    ],
)
def test_r13_the_cli_gives_the_same_clear_error(personas: Personas, tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "report.xlsx"
    with pytest.raises(CommandError, match=OUT_OF_RANGE):
        call_command("report", *args, "-o", str(out))
    assert not out.exists()


def test_r12_the_cli_explains_a_wrong_span(personas: Personas, tmp_path: Path) -> None:
    out = str(tmp_path / "v.xlsx")
    with pytest.raises(CommandError, match="Конец периода раньше начала"):
        call_command("report", "violations", "--from", "2026-11-20", "--to", "2026-11-10", "-o", out)
    with pytest.raises(CommandError, match="Такой даты нет: «2026-02-30»"):
        call_command("report", "violations", "--from", "2026-02-30", "--to", "2026-03-10", "-o", out)


# ------------------------------------------------------------------ item 8: filter mistakes on the report pages
@pytest.mark.parametrize(
    ("url", "message_text"),
    [
        ("/reports/violations/?from=2026-11-20&to=2026-11-10", "Конец периода раньше начала."),
        ("/reports/violations/?from=2026-02-30&to=2026-03-10", "Такой даты нет: «2026-02-30»."),
        ("/reports/violations/?from=1.11.2026&to=2026-11-10", "Даты указываются как ГГГГ-ММ-ДД"),
        (
            "/reports/monthly/?month=2026-13",
            "Месяц указывается как ГГГГ-ММ, например 2026-10, а не «2026-13».",
        ),
        (
            "/reports/rating/?quarter=2026Q5",
            "Квартал указывается как ГГГГQN, например 2026Q3, а не «2026Q5».",
        ),
    ],
)
def test_r12_r13_a_filter_mistake_shows_the_report_page_with_the_message(
    observer: Client, url: str, message_text: str
) -> None:
    page = observer.get(url)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Страница не найдена" not in html
    error = re.search(r'data-testid="filter-error">([^<]*)<', html)
    assert error and message_text in error[1].replace("&laquo;", "«").replace("&raquo;", "»")
    assert html.index("<form") < html.index('data-testid="filter-error"')  # the message is next to the filter
    assert 'aria-invalid="true"' in html


def test_r12_the_wrong_dates_stay_in_the_filter_to_be_corrected(observer: Client) -> None:
    html = observer.get("/reports/violations/?from=2026-11-20&to=2026-11-10").content.decode()
    assert 'name="from" value="2026-11-20"' in html and 'name="to" value="2026-11-10"' in html
    assert "Недостатки в работе органов" in html
    fixed = observer.get("/reports/violations/?from=2026-11-10&to=2026-11-20")
    assert fixed.status_code == 200 and "10.11.2026 — 20.11.2026" in fixed.content.decode()


def test_r13_the_rating_filter_still_offers_quarters_after_a_mistake(observer: Client) -> None:
    html = observer.get("/reports/rating/?quarter=2026Q5").content.decode()
    assert (
        '<select name="quarter"' in html and f'value="{periods.quarter_of(timezone.localdate()).key}"' in html
    )


# ------------------------------------------------------------------ item 13: the rating PDF and XLSX
def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / "rating.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())  # table cells wrap their words onto several lines


def test_r13_rating_pdf_says_new_in_rating_and_uses_decimal_commas(
    october: October, observer: Client, tmp_path: Path
) -> None:
    response = observer.get("/reports/rating/?quarter=2025Q4&format=pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "None" not in text
    assert "новый в рейтинге" in text  # health was not rated in Q3
    rows = {r["body"]: r for r in rating.build(Q4)["rows"]}
    for r in rows.values():
        assert f"{r['score']:.1f}".replace(".", ",") in text
        assert f"{r['score']:.1f}" not in text
    assert rows["Дороги"]["score_change"] == -12.9 and "−12,9" in text  # a minus sign and a decimal comma
    # the chart is labelled with the bodies' names: each name is in the table and under its bar
    assert text.count("Здравоохранение") == 2 and text.count("Дороги") == 2


def test_r13_rating_cli_pdf_is_the_same_as_the_page(october: October, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    call_command("report", "rating", "--quarter", "2025Q4", "--format", "pdf", "-o", str(out))
    text = _pdf_text(out.read_bytes(), tmp_path)
    assert "None" not in text and "новый в рейтинге" in text and "Балл = 100 ×" in text


def test_r13_rating_xlsx_has_numbers_and_empty_cells_and_a_chart_by_body(
    october: October, observer: Client
) -> None:
    response = observer.get("/reports/rating/?quarter=2025Q4&format=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True) if r[1]
    }
    health, roads = rows["Здравоохранение"], rows["Дороги"]
    assert health[CHANGE] == "новый в рейтинге" and health[PLACE_BEFORE] is None
    assert "None" not in {str(v) for r in rows.values() for v in r.values() if isinstance(v, str)}
    assert isinstance(health["Балл"], int | float) and isinstance(roads[CHANGE], int | float)
    assert roads[PLACE_BEFORE] == 1
    chart = ws._charts[0]
    assert "$B$2:$B$3" in chart.series[0].cat.numRef.f  # the bars are named by the body column, not the rank
    # fractions are shown with one or two decimals, as on the page; whole numbers as they are
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    fractions = [c for c in cells if isinstance(c.value, float)]
    assert fractions and all(c.number_format == "0.0#" for c in fractions)
    assert ws.freeze_panes == "A2"  # the header row stays in view
    ranks = [row[0] for row in ws.iter_rows(min_row=2) if row[1].value]
    assert [c.value for c in ranks] == [1, 2] and all(c.number_format == "General" for c in ranks)


def test_r13_chart_labels_are_body_names_wrapped_or_cut_readably() -> None:
    long_name = "Комитет по дорожному хозяйству Ленинградской области и транспортной инфраструктуре"
    labels, rotated = export._axis_labels(
        ["Здравоохранение", long_name, *[f"Орган {i}" for i in range(6)]], 620
    )
    assert not rotated and labels[0] == "Здравоохранение" and labels[2] == "Орган 0"
    lines = labels[1].split("\n")
    assert 1 < len(lines) <= 3 and lines[0].startswith("Комитет по") and labels[1].endswith("…")
    many, rotated = export._axis_labels([f"{long_name} {i}" for i in range(40)], 620)
    assert rotated and all("\n" not in x and x.endswith("…") for x in many)
    assert all(export._width(x, export.AXIS_FONT_SIZE) <= export.ROTATED_ROOM for x in many)


def test_r13_rating_page_shows_the_change_with_a_decimal_comma(october: October, observer: Client) -> None:
    html = observer.get("/reports/rating/?quarter=2025Q4").content.decode()
    roads = next(r for r in rating.build(Q4)["rows"] if r["body"] == "Дороги")
    assert roads["score_change"] == -12.9 and "−12,9 балла; место было 1" in html


# ------------------------------------------------------------------ item 23: quarter navigation on the rating
def test_r13_rating_page_offers_the_next_quarter_up_to_the_current_one(
    october: October, observer: Client
) -> None:
    current = periods.quarter_of(timezone.localdate())
    before = periods.previous_quarter(current)
    html = observer.get(f"/reports/rating/?quarter={before.key}").content.decode()
    assert f'<a href="?quarter={current.key}">следующий квартал →</a>' in html
    assert "← предыдущий квартал" in html
    html = observer.get(f"/reports/rating/?quarter={current.key}").content.decode()
    assert "следующий квартал" not in html  # nothing beyond the current quarter
    assert "← предыдущий квартал" in html


def test_r13_rating_quarter_selector_lists_quarters_from_the_first_case(
    october: October, observer: Client
) -> None:
    html = observer.get("/reports/rating/?quarter=2025Q4").content.decode()
    options = re.findall(r'<option value="(\d{4}Q\d)"( selected)?>', html)
    keys = [k for k, _ in options]
    current = periods.quarter_of(timezone.localdate())
    assert keys[0] == current.key and keys[-1] == "2025Q3"  # case F was dispatched in September 2025
    assert [k for k, sel in options if sel] == ["2025Q4"]
    assert len(keys) == len(set(keys))


# ------------------------------------------------------------------ item 16: the dashboard agrees with itself
def test_dashboard_today_and_the_weeks_last_day_count_the_same_messages(personas: Personas) -> None:
    now = msk(2026, 11, 29, 15, 0)  # Sunday
    message(msk(2026, 11, 29, 9, 0))  # published today
    no_date = [message(msk(2026, 11, 1, 0, 0)) for _ in range(2)]
    Message.objects.filter(pk__in=[m.pk for m in no_date]).update(
        published_at=None, received_at=msk(2026, 11, 29, 10, 0)
    )
    yesterday = message(msk(2026, 11, 1, 0, 0))
    Message.objects.filter(pk=yesterday.pk).update(published_at=None, received_at=msk(2026, 11, 28, 23, 30))
    o = dashboard.overview(now)
    assert o["incoming_today"] == 3
    assert o["trend"][-1]["day"].isoformat() == "2026-11-29" and o["trend"][-1]["count"] == 3
    assert o["trend"][-2]["count"] == 1  # received late on Saturday, no publication date


def test_dashboard_page_shows_the_same_number_for_today_in_both_places(
    personas: Personas, observer: Client
) -> None:
    now = timezone.now()
    message(now - timedelta(minutes=1))
    undated = message(now)
    Message.objects.filter(pk=undated.pk).update(published_at=None)  # received just now
    html = observer.get("/reports/").content.decode()
    today = timezone.localdate().isoformat()
    incoming = re.search(r'data-testid="incoming-today"[^>]*>(\d+)<', html)
    trend = re.search(rf'data-testid="trend-{today}">(\d+)<', html)
    assert incoming and trend and incoming[1] == trend[1] == "2"


def test_r13_a_fractional_weight_is_written_with_a_comma_in_the_files_too(october: October) -> None:
    component = rating.RatingComponent.objects.order_by("order").first()
    assert component is not None
    component.weight = 0.5
    component.save()
    data = rating.build(Q4)
    header, _ = rating.table(data)
    assert f"{data['formula'][0]['name']} (вес 0,5)" in header
    assert "0,5·«" in rating.formula_text(data) and "0.5" not in rating.formula_text(data)
