"""R-12, R-13: a report's PDF carries its Russian title in its document properties, as its XLSX does
(`wb.properties.title`): a browser's PDF viewer names the tab «Ежемесячный отчёт: октябрь 2025», and File →
Properties reads that title, the author «Отклик» and the subject with the clause of the regulation, where every
report PDF said «(anonymous)» and «(unspecified)» (`export._pdf` gave reportlab none of them).

Found by a review (session 19).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def pdf_properties(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.fail("pdfinfo is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/reports/monthly/?month=2025-10&format=pdf", "Ежемесячный отчёт: октябрь 2025"),
        ("/reports/rating/?quarter=2025Q3&format=pdf", "Рейтинг органов: 3 квартал 2025"),
        (
            "/reports/violations/?from=2025-10-01&to=2025-10-31&format=pdf",
            "Недостатки в работе органов (п. 12 Положения): 01.10.2025 — 31.10.2025",
        ),
    ],
)
def test_a_report_pdf_is_titled_in_russian_not_anonymous(
    personas: Personas, tmp_path: Path, url: str, title: str
) -> None:
    client = Client()
    client.force_login(personas.observer)
    response = client.get(url)
    assert response.status_code == 200
    props = pdf_properties(response.content, tmp_path)
    shown = {k: props.get(k, "") for k in ("Title", "Author", "Subject")}
    english = {
        k: v for k, v in shown.items() if v in ("(anonymous)", "(unspecified)", "untitled", "anonymous")
    }
    assert not english, f"the PDF's properties read {shown}"
    assert props.get("Title", "").replace("\u00a0", " ") == title, shown
    assert props.get("Author") == "Отклик", shown
    assert "148-рг" in props.get("Subject", "") and "п. 1" in props.get("Subject", ""), shown
