"""Every `otklik` command an operator runs on a database the migrations have not prepared (a fresh `var/`, a new
version installed and not yet migrated) says so in Russian and what to do — «выполните «otklik migrate»» — with
exit code 1 instead of a Python traceback; the database's own words go to the log. `otklik worktime` printed a
traceback even for `--help`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "args",
    [
        ["worktime", "add", "2026-12-01 10:00", "5h"],
        ["report", "monthly", "--month", "2026-10", "--format", "json", "-o", "x.json"],
        ["sweep_deadlines"],
    ],
)
def test_a_command_on_an_unmigrated_database_tells_to_migrate_in_russian(
    args: list[str], tmp_path: Path
) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "otklik", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "ошибка: база данных не подготовлена или не обновлена" in done.stderr
    assert "выполните «otklik migrate»" in done.stderr
    assert not (tmp_path / "x.json").exists()
