"""`otklik report …` (R-12, R-13) run by cron: an output path that cannot be written is a clear Russian
error, not a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_report_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    out = tmp_path / "нет-такой-папки" / "отчёт.xlsx"
    message = f"Не удалось записать отчёт в {out}: нет каталога {out.parent}"
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("report", "monthly", "--month", "2026-10", "-o", str(out))
    assert not out.parent.exists()


def test_report_onto_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="это каталог, укажите имя файла"):
        call_command("report", "rating", "--quarter", "2026Q3", "--format", "json", "-o", str(tmp_path))
    out = tmp_path / "rating.json"
    call_command("report", "rating", "--quarter", "2026Q3", "--format", "json", "-o", str(out))
    assert out.read_text(encoding="utf-8").startswith("{")
