"""R-12, R-13: the reports the vice-governor's office reads, as a reader opens them — what a UI walk (observer, demo
data) found and what these tests show on the test-built October 2025 (tests/reports/builders.py):

- the XLSX columns were 34 wide for «Место» and 16 for everything else: body names, people, stages and notes were
  cut while the rank had room for a sentence;
- the monthly report's timeliness table had 19 columns (wider than the page: the last three off screen) and showed
  the R-8.3 share twice («Ответ в срок (п. 8.3)» and the stage «подготовка и размещение ответа (п. 8.3)» are the
  same deadlines, `monthly._timeliness`); the PDF cut words in the middle («Администрац ия») and could leave a
  heading alone at the foot of a page;
- «год назад: 0, новое» did not say what «новое» meant;
- «№ 171» and «(п. 8.3)» broke across lines;
- the rating of the current, unfinished quarter did not say it was unfinished.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from otklik.cases.models import Deadline
from otklik.reports import export, monthly, periods
from tests.conftest import Personas
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db

MIN_WIDTH, MAX_WIDTH = 8, 50


@pytest.fixture
def observer(personas: Personas, client: Client) -> Client:
    build_october(personas)
    client.force_login(personas.observer)
    return client


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def html_table(page: str, testid: str) -> tuple[list[str], dict[str, list[str]]]:
    """A table of the page as a reader sees it: its column headings and each row's cells by the row's first cell
    (the total row «Все органы» included)."""
    found = re.search(rf'<table[^>]*data-testid="{testid}"[^>]*>(.*?)</table>', page, re.S)
    assert found is not None, f"no table {testid}"
    head, body = found.group(1).split("</thead>")
    header = [words(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    rows = {}
    for tr in re.findall(r"<tr(?: class=\"total\")?>(.*?)</tr>", body, re.S):
        cells = [words(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, re.S)]
        rows[cells[0]] = cells
    return header, rows


# ------------------------------------------------------------------------------------------------ XLSX widths
def shown(value: Any) -> str:
    """A cell's text as Excel shows it (numbers with at most two decimals, DECIMALS)."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")  # the cell's format, DD.MM.YYYY HH:MM
    return "" if value is None else str(value)


def widths(ws: Worksheet) -> dict[str, float]:
    return {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}


def assert_texts_fit(ws: Worksheet) -> None:
    """Every cell's text fits its column (a column at the cap may wrap a longer one); every word of a heading fits
    (the heading wraps); no column is narrower than MIN_WIDTH or wider than MAX_WIDTH."""
    for column in ws.iter_cols():
        head, *cells = column
        width = ws.column_dimensions[head.column_letter].width
        assert MIN_WIDTH <= width <= MAX_WIDTH, (ws.title, head.value, width)
        for word in str(head.value).split():
            assert len(word) <= width, (ws.title, head.value, width)
        for cell in cells:
            text = shown(cell.value)
            assert len(text) <= width or width == MAX_WIDTH, (ws.title, head.value, text, width)


def test_r13_the_rating_xlsx_gives_the_body_names_the_widest_column(observer: Client) -> None:
    """R-13: in the rating's XLSX the body's name («Орган», column B) is the widest column and holds the longest
    name whole; «Место» (column A, a rank of one or two digits) is narrow. It was the other way round: A 34 wide,
    B 16, every body name longer than 16 characters cut."""
    ws = load_workbook(io.BytesIO(observer.get("/reports/rating/?quarter=2025Q4&format=xlsx").content)).active
    w = widths(ws)
    assert w["Орган"] == max(w.values()), w
    assert w["Место"] < w["Орган"] and w["Место"] <= 10, w
    assert_texts_fit(ws)


def test_r12_the_violations_xlsx_columns_hold_stage_person_and_note(observer: Client) -> None:
    """R-12: the violations XLSX for October: «Этап» («подготовка и размещение ответа (п. 8.3)»), «Ответственный»
    and «Пояснение» are as wide as their longest text; nothing is cut at 16 characters any more."""
    content = observer.get("/reports/violations/?from=2025-10-01&to=2025-10-31&format=xlsx").content
    wb = load_workbook(io.BytesIO(content))
    every = wb["Все нарушения"]
    stages = [r[3] for r in every.iter_rows(min_row=2, values_only=True)]
    assert "подготовка и размещение ответа (п. 8.3)" in stages
    w = widths(every)
    assert w["Этап (пункт Положения)"] >= len("подготовка и размещение ответа (п. 8.3)"), w
    assert w["Ответственный"] >= len("Алексеева Тест"), w
    for ws in wb.worksheets:
        assert_texts_fit(ws)


def test_r13_the_monthly_xlsx_columns_hold_their_texts(observer: Client) -> None:
    """R-13: every sheet of the monthly XLSX: names, figures and headings fit their columns."""
    wb = load_workbook(io.BytesIO(observer.get("/reports/monthly/?month=2025-10&format=xlsx").content))
    for ws in wb.worksheets:
        assert_texts_fit(ws)
    assert widths(wb["Своевременность"])["Орган"] >= len("Управление информационной политики")


# ------------------------------------------------------------------------------------- the monthly report's page
def stage_label(code: str) -> str:
    return " ".join(str(Deadline.Stage(code).label).split())


def test_r13_the_monthly_timeliness_is_a_summary_and_a_table_of_stages_with_every_figure(
    observer: Client,
) -> None:
    """R-13: the monthly page shows the timeliness in two tables that fit the page: a summary (body, cases, answer
    on time, median, 90th percentile, violations) and the stages' shares on time. The R-8.3 share is shown once
    (the stage «подготовка и размещение ответа (п. 8.3)» is the same deadline), every other figure is still
    there: health's 66,7 % on time, 2 ч 33 мин median (152,5 min, the half up), 3 ч 15 мин at the 90th percentile, 3 violations; its
    drafts 66,7 % on time, revisions 100,0 %, publications 50,0 %."""
    page = observer.get("/reports/monthly/?month=2025-10").content.decode()
    header, rows = html_table(page, "timeliness")
    assert header == [
        "Орган",
        "Обращений",
        "Ответ в срок (п. 8.3)",
        "Медиана до ответа",
        "90-й процентиль",
        "Нарушений",
    ]
    assert rows["Здравоохранение"] == ["Здравоохранение", "4", "66,7 %", "2 ч 33 мин", "3 ч 15 мин", "3"]
    assert rows["Дороги"] == ["Дороги", "2", "100,0 %", "6 ч 50 мин", "6 ч 50 мин", "1"]
    assert rows["Все органы"] == ["Все органы", "5", "75,0 %", "3 ч 15 мин", "6 ч 50 мин", "4"]

    header, rows = html_table(page, "timeliness-stages")
    shown_stages = [c for c, _ in monthly.STAGES if c != Deadline.Stage.OVERALL]
    assert header == ["Орган", *[stage_label(c) for c in shown_stages]]
    assert "подготовка и размещение ответа (п. 8.3)" not in header  # once, as «Ответ в срок (п. 8.3)»
    health = dict(zip(header, rows["Здравоохранение"], strict=True))
    assert health[stage_label("draft")] == "66,7 %"
    assert health[stage_label("revise")] == "100,0 %"
    assert health[stage_label("publish")] == "50,0 %"
    assert health[stage_label("review")] == "—"
    office = dict(zip(header, rows["Управление информационной политики"], strict=True))
    assert office[stage_label("review")] == "100,0 %"
    total = dict(zip(header, rows["Все органы"], strict=True))
    assert (total[stage_label("draft")], total[stage_label("publish")]) == ("50,0 %", "66,7 %")


def test_r13_a_month_with_nothing_to_compare_with_says_so(observer: Client) -> None:
    """R-13: September 2025 has two messages, August and September 2024 none: the total says there is nothing to
    compare with instead of «новое»."""
    page = observer.get("/reports/monthly/?month=2025-09").content.decode()
    total = words(page.split('data-testid="messages-total">')[1].split("</p>")[0])
    assert total == (
        "Всего сообщений: 2 (предыдущий месяц: 0, сравнить не с чем; год назад: 0, сравнить не с чем)"
    ), total
    october = observer.get("/reports/monthly/?month=2025-10").content.decode()
    assert "(предыдущий месяц: 2, +250,0 %; год назад: 1, +600,0 %)" in words(october)


# ------------------------------------------------------------------------------------------ no-break spaces
def test_r12_a_case_number_and_a_clause_are_not_broken_across_lines(observer: Client) -> None:
    """R-12, R-13: «№ 4» and «(п. 8.3)» are written with a no-break space on the violations page and the monthly
    page (a line never ends with «№» or «п.»)."""
    violations = html.unescape(
        observer.get("/reports/violations/?from=2025-10-01&to=2025-10-31").content.decode()
    )
    assert re.findall(r"№\u00a0\d+", violations)
    assert not re.findall(r"№\s(?<!\u00a0)\d", violations), re.findall(r".{20}№ \d+", violations)
    page = html.unescape(observer.get("/reports/monthly/?month=2025-10").content.decode())
    assert "Ответ в срок (п.\u00a08.3)" in page
    assert not re.findall(r"п\. \d", page), re.findall(r".{30}п\. \d.{5}", page)
    # the stages of the violations table (`Deadline.Stage` labels) and the rating's components too
    assert not re.findall(r"п\. \d", violations), re.findall(r".{30}п\. \d.{5}", violations)
    rating = html.unescape(observer.get("/reports/rating/?quarter=2025Q4").content.decode())
    assert "(п.\u00a08.3)" in rating and not re.findall(r"п\. \d", rating), re.findall(r".{30}п\. \d", rating)


# ------------------------------------------------------------------------------------------------ monthly PDF
def pdf_words(pdf: bytes, tmp_path: Path, name: str = "report") -> list[list[tuple[float, str]]]:
    """Each page's words with the bottom of each word, in pdftotext's order."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in out.split("<page ")[1:]:
        pages.append(
            [
                (float(y), html.unescape(w))
                for y, w in re.findall(
                    r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', page
                )
            ]
        )
    return pages


def test_r13_the_monthly_pdf_keeps_words_whole(observer: Client, tmp_path: Path) -> None:
    """R-13: the monthly PDF downloaded from the page: every word of the bodies' names and of the timeliness
    headings is whole (the table was split into 19 equal columns too narrow for «Здравоохранение»)."""
    pdf = observer.get("/reports/monthly/?month=2025-10&format=pdf").content
    found = {w for page in pdf_words(pdf, tmp_path) for _, w in page}
    expected = [
        "Здравоохранение",
        "Управление",
        "информационной",
        "политики",
        "Обращений",
        "Нарушений",
        "Медиана",
        "процентиль",
        "промежуточного",
        "Губернатора",
        "Возвратов",
    ]
    assert [w for w in expected if w not in found] == []


HEADINGS = {
    "Своевременность по органам",
    "Сроки этапов: доля выполненных в срок",
    "Качество работы",
    "Динамика сообщений",
    "Группа тем",
    "Муниципальное образование",
    "Сеть",
    "Важность",
}


def test_r13_a_heading_of_the_monthly_pdf_is_never_alone_at_the_foot_of_a_page(
    observer: Client, tmp_path: Path
) -> None:
    """R-13: whatever the number of bodies (the demo's November put «Качество работы» alone at the foot of page
    1), the lowest line of every page is never a heading: a heading goes to the next page with its table. The
    October report is rendered with 1 … 30 bodies in its timeliness table (copies of health's row), which moves
    the following headings over the page's end."""
    report = monthly.build(periods.month(2025, 10))
    health = next(r for r in report["timeliness"]["rows"] if r["body"] == "Здравоохранение")
    for n in range(1, 31):
        t = report["timeliness"]
        t["rows"] = [{**health, "body": f"Орган {i}"} for i in range(1, n + 1)]
        for number, page in enumerate(pdf_words(export.monthly_pdf(report), tmp_path), start=1):
            bottom = max(y for y, _ in page)
            last_line = " ".join(w for y, w in page if y > bottom - 2)
            assert last_line not in HEADINGS, (n, number, last_line)


# ------------------------------------------------------------------------------------- the unfinished quarter
def test_r13_the_current_quarters_rating_says_it_is_unfinished(
    personas: Personas, client: Client, tmp_path: Path
) -> None:
    """R-13: the rating of the quarter running today says «Квартал не завершён: данные на ‹дата›» on the page and
    in its PDF (whose «Изменение — к 3 кв. 2026 г.» ended with «г..») and in the XLSX's document title; the
    previous, finished quarter does not; a quarter to come says it has not begun. «следующий квартал →» does
    not lead past the current quarter (it did not before either)."""
    client.force_login(personas.observer)
    today = timezone.localdate()
    current = periods.quarter_of(today)
    previous = periods.previous_quarter(current)
    note = f"Квартал не завершён: данные на {today:%d.%m.%Y}"

    page = client.get(f"/reports/rating/?quarter={current.key}").content.decode()
    assert note in words(page), words(page)[:600]
    assert "следующий квартал" not in page
    pdf = client.get(f"/reports/rating/?quarter={current.key}&format=pdf").content
    text = " ".join(w for p in pdf_words(pdf, tmp_path) for _, w in p)
    assert note in text
    assert f"Изменение — к {previous.key[-1]} кв. {previous.start.year} г." in text and "г.." not in text
    xlsx = load_workbook(
        io.BytesIO(client.get(f"/reports/rating/?quarter={current.key}&format=xlsx").content)
    )
    assert note in (xlsx.properties.title or "")

    before = client.get(f"/reports/rating/?quarter={previous.key}").content.decode()
    assert "Квартал не завершён" not in before
    assert f'<a href="?quarter={current.key}">следующий квартал →</a>' in before
    later = client.get(f"/reports/rating/?quarter={periods.next_quarter(current).key}").content.decode()
    assert "следующий квартал" not in later  # a quarter to come, typed into the address
    assert "Квартал ещё не начался: данных нет" in words(later)


def test_r13_the_current_months_report_says_it_is_unfinished(personas: Personas, client: Client) -> None:
    """R-13: the monthly report of the month running today is on the data so far and says so («Месяц не
    завершён: данные на ‹дата›»); the previous, finished month does not."""
    client.force_login(personas.observer)
    today = timezone.localdate()
    current = periods.month(today.year, today.month)
    page = client.get(f"/reports/monthly/?month={current.key}").content.decode()
    assert f"Месяц не завершён: данные на {today:%d.%m.%Y}" in words(page), words(page)[:600]
    before = client.get(f"/reports/monthly/?month={periods.previous_month(current).key}").content.decode()
    assert "не завершён" not in before


def test_r13_the_monthly_page_gives_the_review_score_as_the_rating_does(observer: Client) -> None:
    """R-13, R-11: the October report's «Средняя оценка проверки (из 100)» for a body reads with one decimal, as the
    rating of the quarter (October is all of its cases) and the PDFs give it — it read «95,00» beside «95,0»."""
    page = observer.get("/reports/monthly/?month=2025-10").content.decode()
    header, rows = html_table(page, "quality")
    column = header.index("Средняя оценка проверки (из 100)")
    shown = rows["Здравоохранение"][column]
    assert re.fullmatch(r"\d+,\d", shown), shown
    rating = observer.get("/reports/rating/?quarter=2025Q4").content.decode()
    _, r_rows = html_table(rating, "rating")
    health = next(cells for cells in r_rows.values() if cells[1] == "Здравоохранение")
    assert f"{shown} из 100" in health, (shown, health)
