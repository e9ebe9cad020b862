"""A full media disk does not lose a photo or a video (R-4; docs/operations.md § Attachment copies; a media folder on
a volume of its own is the documented set-up, tests/test_review_s4_backup.py).

When `default_storage.save` fails with an OSError (ENOSPC on a full disk; EFBIG here, RLIMIT_FSIZE standing in for
the full disk), the worker now logs it at ERROR with the path, removes what it wrote of the file, records on that
copy's row «копия не записана на диск сервера: <причина>, копия будет запрошена ещё раз» and goes on with the
message's other files and the task's other messages; the task ends successfully and the copy is tried again on the
growing pause (1 minute to 1 hour) for three days. Once the administrator has made room, the next attempt stores
it. Retries stop after three days with a final Russian error. Found by a review (session 20b)."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otklik.intake.models import AttachmentCopy, Message
from otklik.intake.tasks import download_attachments
from tests.fakes.base import serving
from tests.fakes.vk import tiny_png

OTKLIK = str(Path(sys.executable).with_name("otklik"))
VIDEO = b"\x00\x00\x00\x18ftypmp42" + os.urandom(6 * 1024 * 1024)  # an mp4 by its first bytes, 6 MB


PHOTO = tiny_png()


class _Files(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        video = self.path.startswith("/video.mp4")
        body = VIDEO if video else PHOTO
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4" if video else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    with serving(_Files) as url:
        yield url


@pytest.fixture
def video_url(server_url: str) -> str:
    return f"{server_url}/video.mp4"


def _full_disk() -> None:
    """The child's files cannot grow past 3 MB: the database fits, the video does not."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (3 * 1024 * 1024, 3 * 1024 * 1024))


def test_copies_a_full_media_disk_prevented_are_made_once_there_is_room(
    tmp_path: Path, video_url: str
) -> None:
    env = dict(os.environ)
    env.update(
        OTKLIK_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'otklik.sqlite3'}",
        OTKLIK_ALLOW_PRIVATE_FETCH="1",  # the test's video server is on 127.0.0.1
        INTAKE_ATTACHMENT_MAX_MB="20",
        LOG_LEVEL="WARNING",
    )
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    # Two new messages with a video each, stored as the intake stores them: the copy queued in the same transaction.
    script = (
        "from django.db import transaction\n"
        "from otklik.intake.models import Message\n"
        "from otklik.intake.attachments import enqueue_downloads\n"
        "with transaction.atomic():\n"
        f"    ms = [Message.objects.create(network='vk', external_id=f'-1_1_{{i}}', text='Видео ямы на дороге', "
        f"attachments=[{{'type': 'video', 'url': '{video_url}?m={{i}}'}}]) for i in range(2)]\n"
        "    enqueue_downloads([m.pk for m in ms])\n"
    )
    subprocess.run([OTKLIK, "shell", "-c", script], env=env, check=True, timeout=300, capture_output=True)

    # The worker runs while the media disk is full …
    full = subprocess.run(
        [OTKLIK, "db_worker", "--batch"],
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
        preexec_fn=_full_disk,
        check=False,
    )
    assert full.returncode == 0, full.stderr
    media = tmp_path / "media" / "messages"
    assert "ERROR otklik.intake.attachments" in full.stderr and str(media) in full.stderr, full.stderr
    assert [p for p in media.rglob("*") if p.is_file()] == []  # no truncated file left behind
    with sqlite3.connect(tmp_path / "otklik.sqlite3") as db:
        first = db.execute("select stored, error from intake_attachmentcopy order by message_id").fetchall()
        statuses = {s for (s,) in db.execute("select status from django_tasks_database_dbtaskresult")}
        # the pause before the next attempt has passed
        db.execute(
            "update django_tasks_database_dbtaskresult set run_after = '2000-01-01 00:00:00' "
            "where status = 'READY'"
        )
    assert len(first) == 2, first  # the second message was tried too
    for stored, error in first:
        assert stored == ""
        assert error.startswith("копия не записана на диск сервера: ") and error.endswith(
            ", копия будет запрошена ещё раз"
        ), error
    assert statuses == {"SUCCESSFUL", "READY"}, statuses  # no task FAILED; the retries wait

    # … the administrator makes room, and the worker goes on.
    subprocess.run([OTKLIK, "db_worker", "--batch"], env=env, timeout=300, capture_output=True, check=True)

    with sqlite3.connect(tmp_path / "otklik.sqlite3") as db:
        copies = db.execute("select message_id, stored, error from intake_attachmentcopy").fetchall()
        tasks = db.execute(
            "select status, count(*) from django_tasks_database_dbtaskresult group by status"
        ).fetchall()
    stored = [c for c in copies if c[1]]
    assert len(stored) == 2, f"copies of the videos after the disk was freed: {copies}; tasks: {tasks}"
    assert [c[2] for c in copies] == ["", ""]
    assert sorted(p.read_bytes() == VIDEO for p in media.rglob("*.mp4")) == [True, True]


REFUSED = "копия не записана на диск сервера: путь проходит через файл, а не через каталог"


@pytest.mark.django_db
def test_a_refused_copy_is_recorded_for_every_file_retried_and_given_up_after_three_days(
    settings: Any, tmp_path: Path, server_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The storage refuses (MEDIA_ROOT is a file, not a folder): every photo of both messages gets its row with
    the reason in Russian, each message a later attempt (not sooner than a minute), the log an ERROR with the
    path; after three days of refusals the row says retries did not help, and nothing more is enqueued."""
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # the test's photo server is on 127.0.0.1
    (tmp_path / "media").write_text("not a folder")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    messages = [
        Message.objects.create(
            network="vk",
            external_id=f"-1_2_{i}",
            text="Фото ямы",
            attachments=[{"type": "photo", "url": f"{server_url}/{i}-{n}.png"} for n in range(2)],
        )
        for i in range(2)
    ]
    DBTaskResult.objects.all().delete()
    asked_at = timezone.now()

    assert download_attachments.call([m.pk for m in messages]) == 0

    rows = AttachmentCopy.objects.order_by("message_id", "url")
    assert [(r.stored, r.error) for r in rows] == [("", f"{REFUSED}, копия будет запрошена ещё раз")] * 4
    # the rows' ids are UUIDs: no order to read them in
    retries = DBTaskResult.objects.filter(task_path__endswith="download_attachments")
    assert sorted(r.args_kwargs["args"] for r in retries) == [[[m.pk]] for m in messages]
    assert all(r.run_after >= asked_at + timedelta(minutes=1) for r in retries)
    errors = [r for r in caplog.records if r.levelname == "ERROR" and r.name == "otklik.intake.attachments"]
    assert len(errors) == 4 and str(tmp_path / "media" / "messages") in errors[0].getMessage()

    DBTaskResult.objects.all().delete()
    AttachmentCopy.objects.update(created_at=timezone.now() - timedelta(days=3, minutes=1))
    assert download_attachments.call([m.pk for m in messages]) == 0
    assert {r.error for r in AttachmentCopy.objects.all()} == {
        f"{REFUSED}, повторы в течение трёх суток не помогли"
    }
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_retried_copy_is_stored_once_there_is_room(settings: Any, tmp_path: Path, server_url: str) -> None:
    """The second attempt, with the storage writable again, stores the photo and clears the row's error."""
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True
    (tmp_path / "media").write_text("not a folder")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    message = Message.objects.create(
        network="vk",
        external_id="-1_3",
        text="Фото",
        attachments=[{"type": "photo", "url": f"{server_url}/a.png"}],
    )
    assert download_attachments.call([message.pk]) == 0
    (tmp_path / "media").unlink()

    assert download_attachments.call([message.pk]) == 1

    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "" and (tmp_path / "media" / copy.stored).read_bytes() == PHOTO
