"""`otklik backup` and `otklik restore` on a disk that runs out of room (docs/operations.md § Backup and restore;
nothing the installation holds is lost, R-4). Found by a review (session 20b).

What the operator now sees: a backup that does not fit ends in the command's Russian error («Копия не записана: …
Записанное ею удалено …»), not a Python traceback, and leaves nothing half-written. A restore that does not fit
says «Восстановление прервано: … ничего не изменено» and removes everything it wrote — the folders unpacked
beside their place, the database it created or filled — so that once room is made, the same `otklik restore`
goes through. (Before, the database was restored, the folders half-written, and running it again was refused
with «уже есть данные Otklik».)

The disk running out is simulated per process with RLIMIT_FSIZE (a write past the limit fails with EFBIG, as a
write onto a full disk fails with ENOSPC; SIGXFSZ ignored, so the process sees the error instead of dying). By hand,
on a 3 MB tmpfs, the same happens with «[Errno 28] No space left on device» and
«sqlite3.OperationalError: database or disk is full».
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.test_backup import Target, installation, target  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def _disk_with_room_for(limit: int) -> Callable[[], None]:
    """In the child process: no file can grow past `limit` bytes (the disk is full from there on)."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limited


def _otklik(
    target: Target,  # noqa: F811
    *args: str,
    room: int | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "otklik", *args],
        env=target.env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        preexec_fn=_disk_with_room_for(room) if room is not None else None,
    )


def _nothing_written(target: Target) -> bool:  # noqa: F811
    """No database tables, no files: the target is as it was before the restore (a new, empty installation;
    var/secret_key is written by every first start, not by the restore)."""
    found = target.var.rglob("*") if target.var.exists() else []
    files = [str(f) for f in found if not f.is_dir() and f.name != "secret_key"]
    assert files == [], files
    assert target.tables() == []
    return True


def test_a_backup_onto_a_full_disk_is_a_russian_error_not_a_traceback(
    target: Target,  # noqa: F811
    tmp_path: Path,
) -> None:
    migrated = _otklik(target, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    out = tmp_path / "backup"

    done = _otklik(target, "backup", "--out", str(out), room=64 * 1024)

    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr[-600:]
    assert "Копия не записана" in done.stderr and "Записанное ею удалено" in done.stderr, done.stderr[-600:]
    assert not out.exists() or not any(out.iterdir())  # nothing half-written is left


def test_a_restore_cut_short_by_a_full_disk_can_be_run_again_once_there_is_room(
    installation: Path,  # noqa: F811
    target: Target,  # noqa: F811
    tmp_path: Path,
) -> None:
    photo = installation / "media" / "messages" / "1" / "0.jpg"
    photo.parent.mkdir(parents=True)
    out = tmp_path / "backup"
    # the database part is known only once written: the photo is made bigger than the room left for the folders
    call_command("backup", out=out)
    size = json.loads((out / "manifest.json").read_text())["parts"]
    database = max(p["size"] for name, p in size.items() if name.startswith("database"))
    room = database * 2 + 1024 * 1024  # the database (and its -wal) fits, the photo does not
    photo.write_bytes(os.urandom(room + 1024 * 1024))
    out = tmp_path / "backup2"
    call_command("backup", out=out)

    cut = _otklik(target, "restore", "--from", str(out), room=room)
    assert cut.returncode != 0  # the disk filled up while the folders were written
    assert "Traceback" not in cut.stderr, cut.stderr[-600:]
    assert "Восстановление прервано" in cut.stderr and "ничего не изменено" in cut.stderr, cut.stderr[-600:]
    assert _nothing_written(target)

    again = _otklik(target, "restore", "--from", str(out))  # the operator made room and runs it again

    assert again.returncode == 0, (
        "after a restore cut short by a full disk, running it again is refused: "
        + again.stderr.strip().splitlines()[-1]
    )
    assert (target.var / "media" / "messages" / "1" / "0.jpg").read_bytes() == photo.read_bytes()


def test_a_restore_whose_database_does_not_fit_removes_the_folders_it_unpacked(
    installation: Path,  # noqa: F811
    target: Target,  # noqa: F811
    tmp_path: Path,
) -> None:
    if target.vendor != "sqlite":
        pytest.skip(
            "PostgreSQL's files are written by its server, which the limit of this process does not reach"
        )
    photo = installation / "media" / "messages" / "1" / "0.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(os.urandom(16 * 1024))
    out = tmp_path / "backup"
    call_command("backup", out=out)
    database = json.loads((out / "manifest.json").read_text())["parts"]["database.sqlite3"]["size"]

    cut = _otklik(
        target, "restore", "--from", str(out), room=database // 2
    )  # the photo fits, the database not

    assert cut.returncode != 0
    assert "Traceback" not in cut.stderr, cut.stderr[-600:]
    assert "Восстановление прервано" in cut.stderr and "ничего не изменено" in cut.stderr, cut.stderr[-600:]
    assert _nothing_written(target)
    again = _otklik(target, "restore", "--from", str(out))
    assert again.returncode == 0, again.stderr[-600:]
    assert (target.var / "media" / "messages" / "1" / "0.jpg").read_bytes() == photo.read_bytes()
