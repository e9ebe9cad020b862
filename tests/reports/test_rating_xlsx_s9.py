"""R-13 (clause 13: the quarterly rating of the bodies): what a reader of the rating's XLSX (and PDF) sees next to
the rating page.

Found on a UI walk: the XLSX's share columns were numbers 0–100 under headers that did not say they were per cent
(the page writes «66,7 %» in those cells), and a body new in the rating had an empty «Изменение балла» cell where
the page and the PDF say «новый в рейтинге» (in the demo's and the test-built quarter, health had no rank in the
previous quarter: its change is None, and the XLSX wrote None as an empty cell)."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import Personas
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db
NEW = "новый в рейтинге"
# the last two columns name the quarter they compare with: a file read apart from the page says it itself
CHANGE, PLACE_BEFORE = "Изменение балла к 3 кв. 2025 г.", "Место в 3 кв. 2025 г."


def words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_table(client: Client) -> tuple[list[str], dict[str, list[str]]]:
    """The rating table of the page as a reader sees it: the column headers and each body's cells by body."""
    page = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    table = re.search(r'<table class="report" data-testid="rating">.*?</table>', page, re.S)
    assert table is not None
    header = [words(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", table.group(0), re.S)]
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table.group(0).split("<tbody>")[1], re.S):
        cells = [words(td) for td in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        rows[cells[1]] = cells
    return header, rows


def xlsx_table(content: bytes) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The XLSX's header texts and each body's cell values, keyed by header, as openpyxl reads them."""
    ws = load_workbook(io.BytesIO(content)).active
    header = [str(c.value) for c in ws[1]]
    rows = {
        r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True) if r[1]
    }
    return header, rows


@pytest.fixture
def observer(personas: Personas, client: Client) -> Client:
    build_october(personas)  # Q4 2025: roads rated in Q3 too, health new in the rating
    client.force_login(personas.observer)
    return client


def test_r13_the_cli_xlsx_says_which_columns_are_per_cent_and_who_is_new_as_the_page_does(
    observer: Client, tmp_path: Path
) -> None:
    """R-13: `otklik report rating --format xlsx` for the test-built fourth quarter, opened with openpyxl next to
    the page. Every column the page shows in per cent («66,7 %») has «%» in its XLSX header and the same number;
    the review score, «из 100» on the page, stays «из 100»; health, «новый в рейтинге» on the page, reads the same
    in the XLSX's change column; roads' change is the page's number."""
    out = tmp_path / "rating.xlsx"
    call_command("report", "rating", "--quarter", "2025Q4", "--format", "xlsx", "-o", str(out))
    header, rows = xlsx_table(out.read_bytes())
    page_header, page_rows = page_table(observer)

    components = page_header[3:-1]  # Место, Орган, Балл, … components …, Изменение
    assert len(components) == 6
    for i, name in enumerate(components, start=3):
        column = header[i]
        assert column.startswith(name), (column, name)
        for body, cells in page_rows.items():
            shown = cells[i]
            value = rows[body][column]
            if shown.endswith(" %"):
                assert "%" in column, column
                assert f"{value:.1f}".replace(".", ",") == shown.removesuffix(" %"), (column, body)
            else:
                assert shown.endswith(" из 100") and "из 100" in column and "%" not in column, (column, shown)
                assert f"{value:.1f}".replace(".", ",") == shown.removesuffix(" из 100"), (column, body)

    assert page_rows["Здравоохранение"][-1] == NEW
    assert rows["Здравоохранение"][CHANGE] == NEW
    assert rows["Здравоохранение"][PLACE_BEFORE] is None  # the page says nothing more either
    assert page_rows["Дороги"][-1] == "−12,9 балла; место было 1"
    assert rows["Дороги"][CHANGE] == -12.9 and rows["Дороги"][PLACE_BEFORE] == 1


def test_r13_the_downloaded_xlsx_and_pdf_headers_carry_the_per_cent(observer: Client, tmp_path: Path) -> None:
    """R-13: the XLSX and PDF downloaded from the page («XLSX», «PDF») head the share columns with «%» and say
    «новый в рейтинге» for health."""
    header, rows = xlsx_table(observer.get("/reports/rating/?quarter=2025Q4&format=xlsx").content)
    assert "доля ответов в срок (п. 8.3), % (вес 3)" in header, header
    assert "средняя оценка проверки ответа (п. 11), из 100 (вес 2)" in header, header
    assert sum("%" in h for h in header) == 5, header
    assert rows["Здравоохранение"][CHANGE] == NEW

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / "rating.pdf"
    path.write_bytes(observer.get("/reports/rating/?quarter=2025Q4&format=pdf").content)
    text = " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "доля ответов в срок (п. 8.3), % (вес 3)" in text, text
    assert NEW in text
    assert "Изменение — к 3 кв. 2025 г." in text, text
