"""Found by a review (session 23). R-13, monthly report, «Качество работы»: the XLSX shows «Возвратов на проект» differently from the page and
the PDF when the ratio is exactly half a hundredth.

Scenario (October 2025, default schedule, built through the real actions): on Mon 06.10.2025 the curator sends
eight messages to health (10:00, 10:01 … 10:07); alice sends a draft on each at 11:00 … 11:07; at 11:30 the
curator returns the first draft. In October health has 8 drafts and 1 return: 1 ÷ 8 = 0.125 returns per draft.

What the vice-governor's office sees now:
- the page /reports/monthly/?month=2025-10 and the PDF: «0,12» (Python's f"{0.125:.2f}" takes the tie to even);
- the XLSX (the same report, `otklik report monthly --month 2025-10` or the page's «Excel (XLSX)»): the cell
  holds 0.125 with the number format «0.0#», which Excel and LibreOffice show as «0,13» (half away from zero).

The same figure of the same report reads 0,12 in one file and 0,13 in the other. The project already fixed this
very mismatch for the median minutes (`monthly.fmt_minutes`: «a median's half minute up, as a reader of the
XLSX's 152.5 rounds it», tests/reports/test_figures_review_s17.py); «Возвратов на проект» still takes the half
to the even number. What they should see: one figure — the page and the PDF show what the XLSX cell shows.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import actions
from otklik.cases.actions import Route
from tests.conftest import Personas, msk
from tests.reports.builders import TEXT, message

pytestmark = pytest.mark.django_db


def _excel_shows(value: float, number_format: str) -> str:
    """What Excel (and LibreOffice) show for `value` in a cell of `number_format` «0.0#»: at most two decimals,
    at least one, the half rounded away from zero; the Russian decimal comma."""
    assert number_format == "0.0#", number_format
    text = f"{Decimal(repr(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
    if text.endswith("0"):
        text = text[:-1]
    return text.replace(".", ",")


def test_r13_returns_per_draft_reads_the_same_on_the_page_in_the_pdf_and_in_the_xlsx(
    personas: Personas, client: Client, tmp_path: Path
) -> None:
    p = personas
    drafts = []
    for i in range(8):
        case = actions.dispatch_case(
            p.curator, [message(msk(2025, 10, 6, 9, i))], [Route(p.health)], now=msk(2025, 10, 6, 10, i)
        )
        drafts.append(actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, 6, 11, i)))
    actions.return_draft(p.curator, drafts[0], "Ответьте по существу", now=msk(2025, 10, 6, 11, 30))

    client.force_login(p.observer)
    data = client.get("/reports/monthly/?month=2025-10&format=json").json()
    health = next(r for r in data["quality"]["rows"] if r["body"] == "Здравоохранение")
    assert (health["drafts"], health["returns"]) == (8, 1)

    # the XLSX as the command writes it
    out = tmp_path / "october.xlsx"
    call_command("report", "monthly", "--month", "2025-10", "--format", "xlsx", "-o", str(out))
    ws = load_workbook(out)["Качество"]
    header = [c.value for c in ws[1]]
    column = header.index("Возвратов на проект") + 1
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Здравоохранение")
    cell = row[column - 1]
    in_xlsx = _excel_shows(cell.value, cell.number_format)

    # the page
    page = client.get("/reports/monthly/?month=2025-10").content.decode()
    quality = page[page.index("Качество работы") :]
    row_html = re.search(r"<td>Здравоохранение</td>(.*?)</tr>", quality, re.S)
    assert row_html is not None
    cells = re.findall(r'<td class="num">([^<]*)</td>', row_html.group(1))
    on_page = cells[2]  # Проектов, Возвратов, Возвратов на проект, …

    assert on_page == in_xlsx, (
        f"«Возвратов на проект» of health (1 return ÷ 8 drafts): the page says «{on_page}», the XLSX cell "
        f"{cell.value!r} reads «{in_xlsx}» in Excel"
    )

    # the PDF says what the page says
    if shutil.which("pdftotext"):
        pdf = tmp_path / "october.pdf"
        call_command("report", "monthly", "--month", "2025-10", "--format", "pdf", "-o", str(pdf))
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        quality_pdf = text[text.index("Качество работы") :]
        line = next(x for x in quality_pdf.splitlines() if x.strip().startswith("Здравоохранение"))
        assert in_xlsx in line.split(), f"the PDF's row: «{' '.join(line.split())}», the XLSX: «{in_xlsx}»"
