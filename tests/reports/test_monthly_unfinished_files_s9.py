"""Review of c5b6ced («the current month's report says it is unfinished, as the quarter's rating does»): the
rating of a running quarter says «Квартал не завершён: данные на ‹дата›» on its page, in its PDF and in its XLSX's
title; the monthly report of the running month says it on the page only. Its PDF and XLSX — the files a reader
downloads, forwards and prints — give the month's figures so far as if the month were over."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from otklik.reports import periods
from tests.conftest import Personas
from tests.reports.test_reports_read_s9 import pdf_words

pytestmark = pytest.mark.django_db


def test_r13_the_current_months_pdf_and_xlsx_say_the_month_is_unfinished(
    personas: Personas, client: Client, tmp_path: Path
) -> None:
    """R-13: the current month's report downloaded as PDF says «Месяц не завершён: данные на ‹дата›», and its XLSX
    says it in the document's title, as the current quarter's rating files do; the finished month's do not."""
    client.force_login(personas.observer)
    today = timezone.localdate()
    current = periods.month(today.year, today.month)
    note = f"Месяц не завершён: данные на {today:%d.%m.%Y}"

    pdf = client.get(f"/reports/monthly/?month={current.key}&format=pdf").content
    text = " ".join(w for page in pdf_words(pdf, tmp_path) for _, w in page)
    assert note in text, text[:300]
    xlsx = load_workbook(io.BytesIO(client.get(f"/reports/monthly/?month={current.key}&format=xlsx").content))
    assert note in (xlsx.properties.title or "")

    previous = periods.previous_month(current).key
    pdf = client.get(f"/reports/monthly/?month={previous}&format=pdf").content
    assert "не завершён" not in " ".join(w for page in pdf_words(pdf, tmp_path, "before") for _, w in page)
