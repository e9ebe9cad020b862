"""The first start on a var/ whose filesystem has no flock (an NFS or CIFS mount, some FUSE mounts: the kernel answers
ENOLCK or EOPNOTSUPP) writes the secret key and starts: without the lock the key file is created by an atomic link,
so of two processes starting at once the first one's key stands and the other reads it. It used to end the settings'
import with an English traceback («OSError: [Errno 37] No locks available»): neither the web nor the worker started.
The filesystem is stood in for by `fcntl.flock` refusing as the kernel does there. Found by a review (session 20b)."""

from __future__ import annotations

import errno
import fcntl
import stat
from pathlib import Path

import pytest

from otklik import settings as otklik_settings


def _no_locks(fd: int, operation: int) -> None:
    raise OSError(errno.ENOLCK, "No locks available")


def test_the_key_is_written_and_read_back_without_flock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(otklik_settings, "VAR_DIR", tmp_path)
    monkeypatch.setattr(fcntl, "flock", _no_locks)

    first = otklik_settings._secret_key()
    again = otklik_settings._secret_key()

    path = tmp_path / "secret_key"
    assert len(first) > 40 and again == first == path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_without_flock_a_key_written_meanwhile_by_another_process_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other process linked its key in between our read and our link: ours is dropped, theirs is used."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(otklik_settings, "VAR_DIR", tmp_path)
    path = tmp_path / "secret_key"
    reads = {"n": 0}
    real_read = otklik_settings._read_key

    def read_then_other_writes(p: Path) -> str:
        reads["n"] += 1
        if reads["n"] == 2:  # after the lock failed, just before our link: the other process links its key
            p.write_text("ключ-другого-процесса-" + "x" * 40)
            return ""
        return real_read(p)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    monkeypatch.setattr(otklik_settings, "_read_key", read_then_other_writes)

    key = otklik_settings._secret_key()

    assert key == path.read_text() and key.startswith("ключ-другого-процесса-")
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
