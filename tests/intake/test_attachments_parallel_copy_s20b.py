"""A photo downloaded by two runs of the same message's copy at once is stored once (R-4; personal data). Two runs
can meet: a repeat delivery, or `queueing.requeue_stuck_tasks` taking up a slow `download_attachments` (an album over
a slow network) whose worker is still alive. Both download the file; the row written first stands and the other
run removes the file it stored (`intake.attachments._save`), so no copy of a citizen's photo stays in var/media with
no row naming it — never removed with the message and in every backup. Files get a random part in their name, so a
run that fails removes only its own file. Found by a review (session 20b)."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from otklik.intake.attachments import download
from otklik.intake.models import AttachmentCopy, Message
from tests.fakes.base import serving
from tests.fakes.vk import tiny_png

PHOTO = tiny_png()


class _State:
    message_id = 0
    nested_done = False
    error: BaseException | None = None


class _Files(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if not _State.nested_done:
            _State.nested_done = True
            try:  # the requeued copy, on the second worker, runs while this download is on the wire
                download(_State.message_id)
            except BaseException as exc:
                _State.error = exc
            finally:
                connection.close()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PHOTO)))
        self.end_headers()
        self.wfile.write(PHOTO)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server_url() -> Iterator[str]:
    with serving(_Files) as url:
        yield url


@pytest.mark.django_db(transaction=True)
def test_a_photo_copied_by_two_workers_at_once_leaves_no_file_without_its_row(
    settings: Any, tmp_path: Path, server_url: str
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # the fake server is on loopback
    message = Message.objects.create(
        network="vk",
        external_id="-1_1_78",
        url="https://vk.com/wall-1_1?reply=78",
        author_name="Житель",
        text="Яма во дворе, фото",
        attachments=[{"type": "photo", "url": f"{server_url}/pothole.png"}],
    )
    _State.message_id, _State.nested_done, _State.error = message.pk, False, None

    download(message.pk)

    assert _State.nested_done and _State.error is None, _State.error
    rows = set(
        AttachmentCopy.objects.filter(message=message).exclude(stored="").values_list("stored", flat=True)
    )
    folder = Path(settings.MEDIA_ROOT) / "messages" / str(message.pk)
    on_disk = {f"messages/{message.pk}/{p.name}" for p in folder.iterdir()} if folder.exists() else set()
    assert on_disk == rows, (
        f"files of the citizen's photo in var/media: {sorted(on_disk)}, rows naming them: {sorted(rows)}: "
        "the file no row names is never removed with the message and goes into every backup"
    )
