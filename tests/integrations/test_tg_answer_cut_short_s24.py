"""Found by a review (session 24), fixed since. R-4 (nothing lost): Telegram's answer cut short in transit — HTTP
200 with the JSON broken off — is a passing failure, as a 5xx is.

Scenario: a resident posts a photo in the discussion group; its copy is queued. The bot's `getFile` comes back
200 with half a JSON (`{"ok":true,"result":{"file_id":"Ag`). Before the fix the client took any non-JSON answer
below 500 for a permanent refusal: the copy read «Telegram ответил 200, копия не сохранена» and was never asked
for again, so the photo was lost once its author deleted the message. Now the copy says it will be asked for
again, and the next attempt stores it. And a Telegram source whose read was refused once (a 429) and then reads
without error in a quiet chat no longer keeps the old error on its cursor: the pass that read to the end clears it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from otklik.intake.models import AttachmentCopy, Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.telegram import FakeTelegram
from tests.integrations.test_tg_files import GROUP, ingest, run_enqueued_downloads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # the fake Bot API is on 127.0.0.1
    return tmp_path


def test_r4_a_getfile_answer_cut_short_is_asked_for_again(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    ingest(telegram_source)
    run_enqueued_downloads()
    sent = fake_telegram.comment("Яма у поликлиники", photo=fake_telegram.photo())
    ingest(telegram_source)
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    fake_telegram.fail("getFile", cut=True)
    assert run_enqueued_downloads() == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.stored == "" and copy.error.endswith("копия будет запрошена ещё раз"), copy.error
    assert DBTaskResult.objects.filter(task_path__endswith="download_attachments").count() == 1

    assert run_enqueued_downloads() == 1
    copy.refresh_from_db()
    assert copy.error == "" and copy.kind == "photo" and copy.stored


def test_r4_a_quiet_telegram_chat_read_without_error_clears_the_old_error(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    assert run_source(telegram_source).error == ""  # 10:00: the chat's comments are read
    fake_telegram.fail("getUpdates", error_code=429, retry_after=35)  # 10:01: Telegram limits the bot
    assert "retry after 35" in run_source(telegram_source).error
    assert "ограничил частоту запросов" in Cursor.objects.get(source=telegram_source).last_error
    report = run_source(telegram_source)  # 10:02: read fine, nothing new in the chat
    assert report.error == "" and report.created == 0
    assert Cursor.objects.get(source=telegram_source).last_error == ""
