"""R-12: the violations' files read as the page does — the stage once, with its clause — and the XLSX's moments are
date-times a reader can sort and filter by, not texts."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from otklik.reports import deficiencies, export
from tests.conftest import Personas, msk
from tests.reports.builders import October, build_october
from tests.reports.test_deficiencies import OCTOBER
from tests.reports.test_explore_fixes import _pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


def test_the_xlsx_names_each_stage_once_and_keeps_its_moments_as_dates(october: October) -> None:
    data = deficiencies.build(OCTOBER, now=msk(2025, 10, 8, 12, 0))
    sheet = load_workbook(io.BytesIO(export.violations_xlsx(data)))["Все нарушения"]
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert "Пункт" not in header  # the clause is part of the stage, not a column repeating it
    col = {name: header.index(name) for name in header}
    by_case = {(r[col["Обращение"]].value, r[col["Этап (пункт Положения)"]].value): r for r in rows[1:]}
    late_publication = by_case[(october.b.pk, "разместить ответ (п. 8.7)")]
    texts = [str(c.value) for c in late_publication if c.value is not None]
    assert sum(t.count("п. 8.7") for t in texts) == 1, texts
    due, done = late_publication[col["Срок"]], late_publication[col["Выполнено"]]
    # due 12:30 on Thursday 02.10, published 14:00: Moscow time as the page shows it, a date cell in Excel
    assert (due.value, done.value) == (datetime(2025, 10, 2, 12, 30), datetime(2025, 10, 2, 14, 0))
    assert due.is_date and due.number_format == "DD.MM.YYYY HH:MM"
    assert isinstance(late_publication[col["Выявлено"]].value, datetime)
    never_sent = by_case[(october.d.pk, "направить проект (п. 8.4)")]
    assert never_sent[col["Выполнено"]].value == "не выполнено"
    assert never_sent[col["Срок"]].value == datetime(2025, 10, 7, 16, 25)


def test_a_stage_recorded_under_another_clause_gets_that_clause_in_front() -> None:
    row = {"rid": "R-7.2", "stage": "направить проект (п. 8.4)"}
    assert deficiencies.stage_text(row) == "п. 7.2: направить проект (п. 8.4)"
    assert deficiencies.stage_text({**row, "rid": "R-8.4"}) == "направить проект (п. 8.4)"
    # a clause that is the start of another one's number is not taken for it
    assert (
        deficiencies.stage_text({"rid": "R-8.1", "stage": "повтор (п. 8.10)"}) == "п. 8.1: повтор (п. 8.10)"
    )


def test_the_pdf_names_each_stage_once(october: October, tmp_path: Path) -> None:
    data = deficiencies.build(OCTOBER, now=msk(2025, 10, 8, 12, 0))
    text = _pdf_text(export.violations_pdf(data), tmp_path)
    assert "разместить ответ (п. 8.7)" in text
    assert text.count("п. 8.7") == 1, text  # one violation of clause 8.7, named once
    assert "02.10.2025 12:30" in text
