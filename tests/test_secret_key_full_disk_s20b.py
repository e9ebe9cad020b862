"""The generated secret key (settings._secret_key, README § Configuration: «SECRET_KEY — generated into
var/secret_key on first run»; docs/operations.md § Backup and restore).

A first start on a full disk (here RLIMIT_FSIZE of 0 stands in for it) now stops with a Russian message naming
var/secret_key and what to do, and leaves no file: the key is written whole under a temporary name created with
mode 600 and renamed into place, so the file is never empty and never readable by others. Once there is room, the
next start writes the key and the sign-in page opens. An empty var/secret_key left by an earlier version gets a new
key in its place (there was no usable key: nobody is signed out who was signed in); a key file that cannot be read
stops start-up with a message naming the file and the fix instead of Django's «The SECRET_KEY setting must not be
empty.». Two processes starting at once (web and worker) read the same key. Found by a review (session 20b)."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path

OTKLIK = str(Path(sys.executable).with_name("otklik"))
SIGN_IN_PAGE = "from django.test import Client; print('status', Client().get('/login/').status_code)"
THE_KEY = "from django.conf import settings; print('key', settings.SECRET_KEY)"


def _no_room() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        OTKLIK_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'otklik.sqlite3'}",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    return env


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_after_a_first_start_on_a_full_disk_the_sign_in_page_opens_once_there_is_room(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = subprocess.run(
        [OTKLIK, "check"], env=env, capture_output=True, text=True, timeout=300, preexec_fn=_no_room
    )
    assert first.returncode != 0  # the disk was full: the key could not be written
    assert f"секретный ключ не записан в {tmp_path / 'secret_key'}" in first.stderr
    assert "освободите место на диске" in first.stderr
    assert not (tmp_path / "secret_key").exists()
    assert [p.name for p in tmp_path.iterdir() if "secret_key" in p.name] == []  # no temporary file left
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)

    done = subprocess.run(
        [OTKLIK, "shell", "-c", SIGN_IN_PAGE], env=env, capture_output=True, text=True, timeout=300
    )

    said = done.stdout + done.stderr
    assert "status 200" in said, (
        f"var/secret_key is {(tmp_path / 'secret_key').stat().st_size} bytes; the sign-in page: "
        + said.strip().splitlines()[-1]
    )
    assert len((tmp_path / "secret_key").read_text()) > 50
    assert _private(tmp_path / "secret_key")


def test_an_empty_key_file_left_by_an_earlier_version_gets_a_new_key(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("")
    env = _env(tmp_path)
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)

    done = subprocess.run(
        [OTKLIK, "shell", "-c", SIGN_IN_PAGE], env=env, capture_output=True, text=True, timeout=300
    )

    assert "status 200" in done.stdout, done.stdout + done.stderr
    assert len((tmp_path / "secret_key").read_text()) > 50
    assert _private(tmp_path / "secret_key")


def test_a_key_file_that_cannot_be_read_is_named_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_bytes(b"\xff\xfe not text")

    done = subprocess.run([OTKLIK, "check"], env=_env(tmp_path), capture_output=True, text=True, timeout=300)

    assert done.returncode != 0
    assert f"{tmp_path / 'secret_key'} не читается" in done.stderr
    assert "удалите файл — ключ будет создан заново (все войдут заново)" in done.stderr
    assert (tmp_path / "secret_key").read_bytes() == b"\xff\xfe not text"  # not overwritten


def test_processes_starting_at_once_on_a_new_var_directory_share_one_key(tmp_path: Path) -> None:
    env = _env(tmp_path)
    started = [
        subprocess.Popen(
            [OTKLIK, "shell", "-c", THE_KEY],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    said = [p.communicate(timeout=300)[0] for p in started]

    keys = {line.removeprefix("key ") for out in said for line in out.splitlines() if line.startswith("key ")}
    assert keys == {(tmp_path / "secret_key").read_text()}, said
