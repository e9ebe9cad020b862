"""Found by a review (session 26), fixed since. Review 72, R-13: the quarterly rating shows a component differently on the page and in its XLSX/PDF when the
value is exactly half a tenth of a per cent.

Scenario (4th quarter 2025, default schedule, built through the real actions): on Mon 06.10.2025 the curator sends
four messages of Ирина Петрова to health (10:00 … 10:03); alice sends a draft on each at 11:00 … 11:03 — one
answer the checker scores 100 (it greets Ирина by name), three it scores 95. Health's average review score for the
quarter is (100 + 95 + 95 + 95) ÷ 4 = 96.25, the component value 0.9625.

What the office sees now:
- the page /reports/rating/?quarter=2025Q4: «96,3 из 100» (`fmt_share` rounds half up);
- the XLSX (page's «Excel (XLSX)» or `otklik report rating --quarter 2025Q4 --format xlsx`): 96.2, and the PDF
  «96,2»: `rating.table` (src/otklik/reports/rating.py:372) rounds `v * 100` with Python's `round`, which takes
  the tie to the even digit.
The same figure of the same rating reads 96,3 on the page and 96,2 in the files. The project fixed this very
mismatch for the monthly report (tests/reports/test_returns_per_draft_rounding_s23.py); the rating's
component columns still round to even.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import actions
from otklik.cases.actions import Route
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db

BY_NAME = "Здравствуйте, Ирина! Спасибо за обращение. Ремонт участка дороги запланирован на июнь, подрядчик определён."
NO_NAME = "Здравствуйте! Ремонт дороги запланирован на июнь."


def _build(p: Personas) -> None:
    for i, text in enumerate((BY_NAME, NO_NAME, NO_NAME, NO_NAME)):
        at = msk(2025, 10, 6, 10, 0) + timedelta(minutes=i)
        case = actions.dispatch_case(
            p.curator, [message(at - timedelta(minutes=30))], [Route(p.health)], now=at
        )
        actions.submit_draft(p.alice, case, "answer", text, now=at + timedelta(hours=1))


def test_score_component_reads_the_same_on_page_xlsx_and_pdf(personas: Personas, tmp_path: Path) -> None:
    """The office compares the rating page with the XLSX/PDF sent to the vice-governor: health's «средняя оценка
    проверки ответа» must be one figure (R-13: the rating's components are transparent and consistent)."""
    _build(personas)
    client = Client()
    client.force_login(personas.observer)
    page = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    table = re.search(r'<table class="report" data-testid="rating">.*?</table>', page, re.S)
    assert table is not None
    on_page = re.search(r"(\d+,\d) из 100", table.group(0))
    assert on_page is not None
    assert on_page.group(1) == "96,3"  # 96.25 half up

    xlsx = client.get("/reports/rating/?quarter=2025Q4&format=xlsx").content
    ws = load_workbook(io.BytesIO(xlsx)).active
    header = [str(c.value) for c in ws[1]]
    col = next(i for i, h in enumerate(header) if h.startswith("средняя оценка"))
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "Здравоохранение")
    in_xlsx = f"{row[col]:.1f}".replace(".", ",")

    pdf = client.get("/reports/rating/?quarter=2025Q4&format=pdf").content
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing"
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout

    assert in_xlsx == on_page.group(1), f"page {on_page.group(1)}, XLSX {row[col]}"
    assert "96,3" in text and "96,2" not in text, "PDF shows a different figure from the page"
