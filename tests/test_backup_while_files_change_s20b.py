"""`otklik backup` «runs while the installation works (web, worker, clock need not stop)» (docs/operations.md
§ Backup and restore; nothing the installation holds is lost, R-4). Found by a review (session 20b).

What the operator now sees: a file or folder removed while the folders are being archived — an administrator
deleting a citizen's message on request (its copies are removed after the commit, § Personal data), the retraining
pruning old models or renaming its `.part` directory into place — is left out of that night's backup with a
warning in the log naming it, and the backup is written («Копия записана»). Before, tarfile listed a directory,
then opened each entry, and the vanished one failed the whole backup («Ошибка при работе с файлами: [Errno 2] No
such file or directory»): the night's backup was simply missing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.vk import tiny_png
from tests.test_backup import Target, target  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_photo_deleted_while_the_backup_runs_does_not_spoil_the_nights_backup(
    target: Target,  # noqa: F811
    tmp_path: Path,
) -> None:
    migrated = target.otklik("migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    message = target.var / "media" / "messages" / "100"
    message.mkdir(parents=True)
    (message / "0.mp4").write_bytes(os.urandom(60 * 1024 * 1024))  # a video: archiving it takes a moment
    (message / "1.png").write_bytes(tiny_png())
    out = tmp_path / "backup"

    running = subprocess.Popen(
        [sys.executable, "-m", "otklik", "backup", "--out", str(out)],
        env=target.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    archive = out / "files.tar.gz"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and running.poll() is None:
        if archive.exists() and archive.stat().st_size > 1024 * 1024:  # inside the video by now
            break
        time.sleep(0.005)
    # the message is deleted in the admin meanwhile: its photo's copy goes after the commit
    (message / "1.png").unlink()
    stdout, stderr = running.communicate(timeout=300)

    assert running.returncode == 0, "the backup failed: " + (stderr.strip().splitlines() or [""])[-1]
    assert "Копия записана" in stdout
    assert f"{message.resolve() / '1.png'} was removed while the backup archived it" in stderr, stderr[-600:]
