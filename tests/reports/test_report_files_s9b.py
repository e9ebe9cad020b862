"""R-13: two defects of the report files found on a UI walk.

- The XLSX of the running month or quarter said it was unfinished only in the workbook's document title
  (File → Properties): a reader opening the file saw the month's figures so far as the month's report.
- The monthly PDF's bar chart of twelve municipal formations ran its axis labels into each other
  («…муниципальныймуниципальный…»): the labels were wrapped by an estimate of 0.6 em a character, and DejaVu Sans
  Cyrillic is wider.
"""

from __future__ import annotations

import html
import io
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.org.models import Municipality, TopicGroup
from otklik.reports import export, periods
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db


def xlsx(client: Client, url: str) -> Workbook:
    response = client.get(url)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def visible_texts(wb: Workbook) -> list[str]:
    ws = wb.worksheets[0]
    assert ws.sheet_state == "visible"
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_r13_the_running_months_and_quarters_xlsx_say_unfinished_on_the_first_sheet(
    personas: Personas, client: Client
) -> None:
    """R-13: the XLSX of the current month and of the current quarter's rating, downloaded by the observer, open on
    a first sheet «Сведения» that says «… не завершён: данные на ‹дата›» in bold; the tables follow with their
    header rows as before. The previous month's and quarter's files have no such sheet."""
    client.force_login(personas.observer)
    today = timezone.localdate()
    month = periods.month(today.year, today.month)
    quarter = periods.quarter_of(today)
    cases = [
        (f"/reports/monthly/?month={month.key}", "Месяц", "Ежемесячный отчёт", "Своевременность", "Орган"),
        (f"/reports/rating/?quarter={quarter.key}", "Квартал", "Рейтинг органов", "Рейтинг", "Место"),
    ]
    for url, word, title, table, first_heading in cases:
        wb = xlsx(client, url + "&format=xlsx")
        assert wb.active is wb.worksheets[0], url  # the file opens on it
        assert wb.worksheets[0].title == "Сведения", [s.title for s in wb.worksheets]
        texts = visible_texts(wb)
        note = f"{word} не завершён: данные на {today:%d.%m.%Y}"
        assert any(t.startswith(note) for t in texts), texts
        assert any(t.startswith(title) for t in texts) and any(t.startswith("Сформирован") for t in texts)
        cell = next(c for row in wb.worksheets[0].iter_rows() for c in row if str(c.value).startswith(note))
        assert cell.font.b
        assert wb.worksheets[1].title == table and wb.worksheets[1]["A1"].value == first_heading

    finished = [
        (f"/reports/monthly/?month={periods.previous_month(month).key}", "Своевременность", "Орган"),
        (f"/reports/rating/?quarter={periods.previous_quarter(quarter).key}", "Рейтинг", "Место"),
    ]
    for url, table, first_heading in finished:
        wb = xlsx(client, url + "&format=xlsx")
        assert "Сведения" not in wb.sheetnames
        assert wb.active is wb.worksheets[0] and wb.worksheets[0].title == table
        assert wb.worksheets[0]["A1"].value == first_heading
        assert not any("не завершён" in t for t in visible_texts(wb))


# The municipal formations of the UI walk's chart (12 bars), a city district among them.
PLACES = [
    "Гатчинский муниципальный район",
    "Волховский муниципальный район",
    "Выборгский муниципальный район",
    "Кингисеппский муниципальный район",
    "Всеволожский муниципальный район",
    "Киришский муниципальный район",
    "Волосовский муниципальный район",
    "Кировский муниципальный район",
    "Бокситогорский муниципальный район",
    "Лужский муниципальный район",
    "Сланцевский муниципальный район",
    "Сосновоборский городской округ",
]


def pdf_boxes(pdf: bytes, tmp_path: Path) -> list[list[tuple[float, float, float, str]]]:
    """Each page's words as (xMin, xMax, yMin, text), as pdftotext -bbox finds them."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / "monthly.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [
        [
            (float(x0), float(x1), float(y0), html.unescape(w))
            for x0, y0, x1, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page
            )
        ]
        for page in out.split("<page ")[1:]
    ]


def test_r13_the_monthly_pdf_chart_of_twelve_municipal_formations_keeps_its_labels_apart(
    personas: Personas, client: Client, tmp_path: Path
) -> None:
    """R-13: October 2025 with messages from twelve municipal formations; the monthly PDF downloaded by the observer
    draws the bar chart of municipal formations with every label word whole and apart from its neighbours (no
    «муниципальныймуниципальный»): each word pdftotext finds under the chart is a word of one label, and no two
    words of a label line touch."""
    group = TopicGroup.objects.create(name="ЖКХ")
    for i, name in enumerate(PLACES):
        place = Municipality.objects.create(name=name)
        for k in range(len(PLACES) - i):  # a different count each: the bars in a known order
            at = msk(2025, 10, 1 + i, 10, k)
            actions.dispatch_case(
                personas.curator,
                [message(at)],
                [Route(personas.roads)],
                topic_group=group,
                municipality=place,
                now=at,
            )
    client.force_login(personas.observer)
    response = client.get("/reports/monthly/?month=2025-10&format=pdf")
    assert response.status_code == 200
    pages = pdf_boxes(response.content, tmp_path)

    stems = {name.split()[0] for name in PLACES}
    label_words = {w for name in PLACES for w in name.split()} | {"МР", "МО", "ГО"}
    # the chart's labels: a line holding many formations' first words (a table row holds one) and the label lines
    # under it (at most three lines of at most 6 pt)
    found = 0
    for words in pages:
        lines: dict[int, list[tuple[float, float, str]]] = {}
        for x0, x1, y0, w in words:
            lines.setdefault(round(y0), []).append((x0, x1, w))
        tops = [y for y, line in lines.items() if sum(1 for *_, w in line if w.startswith(tuple(stems))) >= 4]
        for top in tops:
            for y in sorted(y for y in lines if top <= y <= top + 20):
                line = sorted(lines[y])
                found += 1
                merged = [w for *_, w in line if w not in label_words]
                assert not merged, merged  # e.g. «муниципальныймуниципальный»: two labels run together
                for (_, right, a), (left, _, b) in itertools.pairwise(line):
                    assert left - right >= 1.5, f"«{a}» and «{b}» touch: {line}"
    assert found, "no chart label line found"


def test_r13_every_chart_label_line_fits_its_bar() -> None:
    """R-13: under twelve bars (and under three and eight) every line of every label, measured in DejaVu Sans
    at the size the chart sets, is narrower than its bar's slot less the gap; the municipal formations are
    abbreviated on the chart only where the full words do not fit."""
    for names in (PLACES, PLACES[:3], PLACES[:8]):
        labels, rotated, size = export._axis(names, export.CHART_WIDTH)
        assert not rotated
        room = export.CHART_WIDTH / len(names) - export.AXIS_GAP
        for label in labels:
            lines = label.split("\n")
            assert len(lines) <= export.AXIS_LINES
            assert all(export._width(line, size) <= room for line in lines), (label, size, room)
    # under twenty bars «Бокситогорский» does not fit even at the smallest size: upright whole words, not broken
    labels, rotated, _ = export._axis([*PLACES, *PLACES[:8]], export.CHART_WIDTH)
    assert rotated and "Бокситогорский МР" in labels
    labels, _, size = export._axis(PLACES, export.CHART_WIDTH)
    assert "Бокситогорский\nМР" in labels and "Сосновоборский\nГО" in labels and size >= 5
    labels, _, size = export._axis(PLACES[:3], export.CHART_WIDTH)  # wide bars: the names as they are
    assert labels[0] == "Гатчинский муниципальный район" and size == export.AXIS_FONT_SIZE
