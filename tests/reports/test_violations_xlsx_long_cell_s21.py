"""R-12: the violations XLSX at a year's scale keeps every case.

Sheets «По органам» and «По сотрудникам» list a body's (a person's) cases in one cell: «№ 3, № 5, …». A cell holds
at most 32,767 characters (Excel's limit), and openpyxl silently cuts a longer text there (`Cell.check_string`):
the cell stopped mid-list or mid-number («№ 42» for «№ 4235», which names another case) with no sign that cases
were missing. A committee's year (`otklik report violations --from 2026-01-01 --to 2026-12-31`) can have that many:
with six-digit numbers about 3,300 cases with a missed deadline are enough. Now the cell lists the numbers up to
about a thousand characters and then says how many more there are and where they are: «… и ещё 4342 обращения — на
листе «Все нарушения»», the sheet where every violation is a row with its case; and no other cell of the reports'
XLSX is cut without saying so. Here 4,500 cases carry one missed R-8.4 draft term each (numbers 1–4,500), written as
tests/reports/test_scale_record.py writes its violations. Found by a review (session 21)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.cases.models import Case, Deadline, Violation
from otklik.reports import export
from otklik.web.numbers import counted
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

EXCEL_CELL_LIMIT = 32_767
N = 4_500


def _a_year_of_missed_drafts(p: Personas) -> None:
    start = msk(2025, 10, 6, 10, 0)
    cases = Case.objects.bulk_create(
        [Case(dispatched_at=start + timedelta(minutes=k), dispatched_by=p.curator) for k in range(N)]
    )
    deadlines = Deadline.objects.bulk_create(
        [
            Deadline(
                case=c,
                stage=Deadline.Stage.DRAFT,
                rid="R-8.4",
                responsible=p.alice,
                body=p.health,
                started_at=c.dispatched_at,
                due_at=c.dispatched_at + timedelta(hours=5),
                met_at=c.dispatched_at + timedelta(hours=6),
                breached_at=c.dispatched_at + timedelta(hours=5, minutes=1),
            )
            for c in cases
        ]
    )
    Violation.objects.bulk_create(
        [
            Violation(
                deadline=d,
                case=d.case,
                stage=d.stage,
                rid=d.rid,
                person=p.alice,
                body=p.health,
                due_at=d.due_at,
                detected_at=d.breached_at,
            )
            for d in deadlines
        ]
    )


def test_the_bodys_cases_in_the_violations_xlsx_are_not_cut_without_a_word(
    personas: Personas, client: Client
) -> None:
    _a_year_of_missed_drafts(personas)
    ids = set(Case.objects.values_list("pk", flat=True))
    client.force_login(personas.observer)
    response = client.get("/reports/violations/?from=2025-10-01&to=2025-12-31&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    every_case = {int(c.value) for c in book["Все нарушения"]["C"][1:]}
    assert every_case == ids  # each violation a row with its case
    for title in ("По органам", "По сотрудникам"):
        cell = str(book[title].cell(row=2, column=book[title].max_column).value)
        listed = {int(n) for n in re.findall(r"№\s*(\d+)", cell)}
        rest = counted(len(ids) - len(listed), "обращение")  # «4342 обращения»
        said_so = f"и ещё {rest} — на листе «Все нарушения»" in cell
        assert listed <= ids and said_so and cell.endswith("»"), (
            f"«{title}»: the cell of «Обращения» ({len(cell)} characters, Excel's limit {EXCEL_CELL_LIMIT}) "
            f"names {len(listed)} of the body's {len(ids)} cases and ends «…{cell[-24:]}», with no sign of the "
            f"{len(ids - listed)} left out"
        )
        assert len(cell) <= 1_100 and re.search(r"№ \d+ и ещё", cell)  # whole numbers, then the count


def test_a_short_list_of_cases_is_written_whole() -> None:
    assert export._case_numbers([3, 5, 8]) == "№ 3, № 5, № 8"
    numbers = list(range(1, 200))
    text = export._case_numbers(numbers)
    shown = re.findall(r"№ (\d+)", text)
    assert shown == [str(n) for n in numbers[: len(shown)]] and len(text) < 1_100
    assert text.endswith(
        f"и ещё {counted(len(numbers) - len(shown), 'обращение')} — на листе «Все нарушения»"
    )


def test_no_cell_of_the_reports_xlsx_is_cut_without_a_word(caplog: pytest.LogCaptureFixture) -> None:
    long = "Пояснение. " * 4_000  # 44,000 characters
    text = export._text(long)
    assert len(text) <= EXCEL_CELL_LIMIT
    assert text.endswith(f"а здесь их {len(long)}]") and "текст сокращён" in text
    assert "shortened to Excel's limit" in caplog.text
    assert export._text("Дороги") == "Дороги"
