"""Found by a review (session 27), fixed since. `otklik worktime --help` on a fresh install, before `otklik
migrate`, refused with «база данных не подготовлена» instead of showing the help: the command read the calendar
corrections from the database before looking at its arguments. The help needs no database; a real question
(`add`) on that database still says to migrate (tests/test_unmigrated_database_s20.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("args", [["--help"], ["add", "-h"]])
def test_the_help_of_otklik_worktime_shows_on_an_unmigrated_database(args: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "otklik", "worktime", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "не подготовлена" not in done.stderr
    assert "usage" in done.stdout.lower() or "использование" in done.stdout.lower(), done.stdout
    assert "add" in done.stdout
