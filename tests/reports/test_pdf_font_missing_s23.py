"""Found by a review (session 23). R-12, R-13: on a server without the DejaVu Sans font the PDF reports fail with a traceback (command line) or
a bare «Ошибка» page (web) instead of the Russian explanation the code already has.

`export._register_font` raises `FontMissing("Для PDF нужен шрифт DejaVu Sans (кириллица): установите пакет
fonts-dejavu-core …")` — a RuntimeError. `make run` («fresh machine → http://127.0.0.1:8000/», README) never installs
that package (only `make test` runs scripts/ensure-system-deps.sh), and docs/operations.md does not name it, so
a minimal Debian server gets here.

Scenario: October 2025 built through the real actions (tests/reports/builders.build_october), no DejaVu Sans
in the font directories.
1. The operator runs `otklik report monthly --month 2025-10 --format pdf -o october.pdf` (and the same for
   `report rating`, `report violations`). Now: the command's `handle` turns only ValueError into a CommandError,
   so FontMissing escapes: a Python traceback with the message on its last line (exit code 1 by the
   interpreter, not the command). Should: a clear Russian error as for every other refusal of the command
   (CommandError: «Для PDF нужен шрифт DejaVu Sans …»), no traceback.
2. The observer clicks «PDF» on /reports/monthly/?month=2025-10. Now: HTTP 500, the generic error page; should:
   a page saying the PDF cannot be made and why (the missing font), as the XLSX and JSON links still work.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from reportlab.pdfbase import pdfmetrics

from otklik.reports import export
from tests.conftest import Personas
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_dejavu(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A server without fonts-dejavu-core: no DejaVu Sans in the font directories, none registered yet."""
    empty = tmp_path / "fonts"
    empty.mkdir()
    monkeypatch.setattr(export, "FONT_DIRS", (empty,))
    for name in (export.FONT, export.FONT + "-Bold"):
        if name in pdfmetrics._fonts:
            monkeypatch.delitem(pdfmetrics._fonts, name)


@pytest.mark.parametrize(
    "args",
    [
        ["monthly", "--month", "2025-10"],
        ["rating", "--quarter", "2025Q4"],
        ["violations", "--from", "2025-10-01", "--to", "2025-10-31"],
    ],
    ids=["monthly", "rating", "violations"],
)
def test_r13_report_pdf_without_the_font_is_a_clear_russian_error_not_a_traceback(
    personas: Personas, no_dejavu: None, tmp_path: Path, args: list[str]
) -> None:
    build_october(personas)
    out = tmp_path / "report.pdf"
    try:
        call_command("report", *args, "--format", "pdf", "-o", str(out))
    except CommandError as e:
        assert "шрифт DejaVu Sans" in str(e)
    except Exception as e:  # what escapes the command is printed by Python as a traceback
        pytest.fail(
            f"`otklik report {' '.join(args)} --format pdf` without DejaVu Sans: {type(e).__name__} escapes the "
            f"command (a traceback on the operator's terminal), not a CommandError: «{e}»"
        )
    else:
        pytest.fail("the PDF was written without its Cyrillic font")
    assert not out.exists()


def test_r13_monthly_pdf_link_without_the_font_says_why_not_a_bare_error_page(
    personas: Personas, no_dejavu: None
) -> None:
    build_october(personas)
    client = Client(raise_request_exception=False)
    client.force_login(personas.observer)
    assert client.get("/reports/monthly/?month=2025-10&format=xlsx").status_code == 200
    response = client.get("/reports/monthly/?month=2025-10&format=pdf")
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert response.status_code != 500 and "шрифт" in text, (
        f"the observer's «PDF» link: HTTP {response.status_code}, the page says «{text[:200]}»"
    )
