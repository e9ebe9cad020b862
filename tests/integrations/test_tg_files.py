"""Photos and videos sent in a Telegram discussion group reach the curator (R-4: nothing lost, R-9: the curator
sees the whole message): the worker copies them through the source's bot (``getFile``, then the Bot API's file
URL) from the loopback fake Bot API; the bot's token is never stored or shown; what is not copied (a voice
message, a sticker) is named on the page; Telegram's 20 MB limit for bots and its failures are told in
Russian, and a 429/5xx is tried again."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otklik.intake.models import AttachmentCopy, Message, Source
from otklik.intake.pipeline import run_source
from otklik.intake.tasks import download_attachments
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram, tiny_jpeg, tiny_mp4
from tests.integrations.test_telegram import webhook

pytestmark = pytest.mark.django_db
GROUP = -1009876543210


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # the fake Bot API is on 127.0.0.1
    return tmp_path


def run_enqueued_downloads() -> int:
    """What the worker does: run every enqueued download task (due or not) with its own arguments, once."""
    done = 0
    for result in DBTaskResult.objects.filter(task_path__endswith="download_attachments"):
        done += download_attachments.call(*result.args_kwargs["args"])
        result.delete()
    return done


def ingest(source: Source) -> None:
    report = run_source(source)
    assert report.error == ""


@pytest.fixture(autouse=True)
def read_before(telegram_source: Source, fake_telegram: FakeTelegram) -> None:
    """The fixture's messages (one of them a photo) are read and copied before each test's own."""
    ingest(telegram_source)
    run_enqueued_downloads()
    fake_telegram.requests.clear()


def file_downloads(fake: FakeTelegram) -> list[str]:
    return [r.path for r in fake.requests if r.path.startswith("/file/")]


def test_a_photo_sent_in_the_group_is_copied_and_shown_on_the_dispatch_page(
    telegram_source: Source, fake_telegram: FakeTelegram, personas: Personas, client: Client
) -> None:
    """R-4, R-9: a photo of a pothole without a word of text reaches the curator as an image, copied through
    the bot by getFile; the bot's token is nowhere in the copy or on the page."""
    sizes = fake_telegram.photo()
    sent = fake_telegram.comment("", photo=sizes)
    ingest(telegram_source)
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    assert message.text == ""
    assert run_enqueued_downloads() == 1

    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "" and copy.kind == "photo"
    with default_storage.open(copy.stored, "rb") as f:
        data = f.read()
    assert data == tiny_jpeg() and copy.size == len(data) and copy.sha256 == hashlib.sha256(data).hexdigest()
    asked = fake_telegram.calls("getFile")
    assert [r.params["file_id"] for r in asked] == [sizes[-1]["file_id"]]  # the largest size, not the thumb
    assert file_downloads(fake_telegram) == [f"/file/bot{fake_telegram.token}/photos/file_4.jpg"]
    assert fake_telegram.token not in copy.url and copy.url.startswith("tg-file:")

    client.force_login(personas.curator)
    page = client.get(reverse("cases:dispatch", args=[message.pk])).content.decode()
    image = reverse("intake:attachment", args=[message.pk, copy.pk])
    assert f'<img src="{image}" alt="фото 1"' in page
    assert fake_telegram.token not in page and "копия ещё не сохранена" not in page
    served = client.get(image)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == tiny_jpeg()  # type: ignore[attr-defined]

    # Run again (a repeat delivery, a second worker): nothing is downloaded twice.
    assert download_attachments.call([message.pk]) == 0
    assert len(file_downloads(fake_telegram)) == 1


def test_a_video_and_a_video_note_pushed_to_the_webhook_are_copied(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: with the webhook set, the copies are made as with polling: a video with its caption and a round
    video note."""
    video = fake_telegram.add_file("video", tiny_mp4())
    note = fake_telegram.add_file("video_note", tiny_mp4())
    fake_telegram.comment("", video=video, caption="Снег не убран у школы")
    fake_telegram.comment("", video_note=note)
    client = Client()
    for update in fake_telegram.updates[-2:]:
        assert webhook(client, telegram_source, update).status_code == 200
    assert run_enqueued_downloads() == 2
    copies = AttachmentCopy.objects.exclude(url__startswith="tg-file:photo/").order_by("id")
    assert [(c.kind, c.error) for c in copies] == [("video", ""), ("video", "")]
    assert all(c.stored.endswith(".mp4") for c in copies)


def test_a_voice_message_is_named_on_the_page_and_not_downloaded(
    telegram_source: Source, fake_telegram: FakeTelegram, personas: Personas, client: Client
) -> None:
    """R-9: a message holding only a voice note (or a sticker) is not shown empty: the page says what it is,
    with no link that leads nowhere; such files are not copied."""
    voice = fake_telegram.comment("", voice=fake_telegram.add_file("voice", b"OggS\x00\x02"))
    sticker = fake_telegram.comment("", sticker=fake_telegram.add_file("sticker", b"RIFF"))
    ingest(telegram_source)
    run_enqueued_downloads()
    assert fake_telegram.calls("getFile") == []
    assert not AttachmentCopy.objects.filter(message__text="").exists()

    client.force_login(personas.curator)
    for sent, name in ((voice, "голосовое сообщение"), (sticker, "стикер")):
        message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
        page = client.get(reverse("cases:dispatch", args=[message.pk])).content.decode()
        attachments = page.split('data-testid="message-attachments"', 1)[1].split("</p>", 1)[0]
        assert name in attachments and "href" not in attachments
        assert fake_telegram.token not in page
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert fake_telegram.token not in inbox
    assert inbox.count('data-testid="files">вложений: 1<') >= 2  # not «без текста» and nothing else


def test_a_video_over_20_mb_gets_a_russian_error_not_a_crash(
    telegram_source: Source, fake_telegram: FakeTelegram, personas: Personas, client: Client
) -> None:
    """R-4: Telegram gives bots files up to 20 MB; a 25 MB video is recorded with the reason in Russian, on the
    copy and on the page, and is not asked for again."""
    big = fake_telegram.add_file("video", size=25 * 1024 * 1024)
    sent = fake_telegram.comment("Видео с места аварии", video=big)
    ingest(telegram_source)
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    assert run_enqueued_downloads() == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.stored == ""
    assert copy.error == "файл больше 20 МБ: Telegram не отдаёт его боту"
    assert DBTaskResult.objects.filter(task_path__endswith="download_attachments").count() == 0

    client.force_login(personas.curator)
    page = client.get(reverse("cases:dispatch", args=[message.pk])).content.decode()
    assert "видео 1" in page and "файл больше 20 МБ: Telegram не отдаёт его боту" in page
    download_attachments.call([message.pk])
    assert len(fake_telegram.calls("getFile")) == 1


@pytest.mark.parametrize(
    ("method", "how"),
    [("getFile", {}), ("getFile", {"after": True}), ("file", {})],
    ids=["getFile-json", "getFile-html", "file"],
)
def test_a_502_from_telegram_is_recorded_and_retried_next_time(
    telegram_source: Source, fake_telegram: FakeTelegram, method: str, how: dict[str, Any]
) -> None:
    """R-4: a 5xx from Telegram (on getFile, as its JSON error or a proxy's page, or on the file itself) is a
    passing failure: recorded on the copy in Russian, a later attempt scheduled, and the next attempt stores
    the photo."""
    sent = fake_telegram.comment("Яма", photo=fake_telegram.photo())
    ingest(telegram_source)
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    fake_telegram.fail(method, error_code=502, **how)
    assert run_enqueued_downloads() == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.stored == "" and copy.error == "Telegram ответил 502, копия будет запрошена ещё раз"
    retry = DBTaskResult.objects.get(task_path__endswith="download_attachments")
    assert retry.args_kwargs["args"] == [[message.pk]] and retry.run_after is not None

    assert run_enqueued_downloads() == 1
    copy.refresh_from_db()
    assert copy.error == "" and copy.kind == "photo"
    assert AttachmentCopy.objects.filter(message=message).count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="download_attachments").count() == 0


def test_a_wrong_token_is_a_final_error_that_names_no_token(
    telegram_source: Source, fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    """A bot token Telegram does not accept (401 on getFile) is not retried, and neither the copy nor the log
    holds the token."""
    sent = fake_telegram.comment("Яма", photo=fake_telegram.photo())
    ingest(telegram_source)
    telegram_source.config = {**telegram_source.config, "token": "999:WRONG-token"}
    telegram_source.save(update_fields=["config"])
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    assert download_attachments.call([message.pk]) == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "Telegram ответил 401, копия не сохранена"
    assert "WRONG-token" not in caplog.text and "WRONG-token" not in copy.url


def test_a_429_waits_as_telegram_asks_and_retries_stop_after_a_day(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: Telegram's «retry after 120» is kept (the next attempt is not sooner), and a file Telegram keeps
    failing for a day is given up with a final Russian error and no further attempt."""
    sent = fake_telegram.comment("Яма", photo=fake_telegram.photo())
    ingest(telegram_source)
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    DBTaskResult.objects.all().delete()
    fake_telegram.fail("getFile", error_code=429, retry_after=120)
    asked_at = timezone.now()
    assert download_attachments.call([message.pk]) == 0
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "Telegram ответил 429, копия будет запрошена ещё раз"
    retry = DBTaskResult.objects.get(task_path__endswith="download_attachments")
    assert retry.run_after >= asked_at + timedelta(seconds=120)
    retry.delete()

    AttachmentCopy.objects.filter(pk=copy.pk).update(created_at=copy.created_at - timedelta(days=2))
    fake_telegram.fail("getFile", error_code=503)
    assert download_attachments.call([message.pk]) == 0
    copy.refresh_from_db()
    assert copy.error == "Telegram ответил 503, повторы в течение суток не помогли, копия не сохранена"
    assert not DBTaskResult.objects.filter(task_path__endswith="download_attachments").exists()
    download_attachments.call([message.pk])
    assert len(fake_telegram.calls("getFile")) == 2


def test_the_last_page_of_a_limited_read_is_copied_too(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: `otklik ingest --max-pages 1` stops after one page; that page's photo is still copied."""
    sent = fake_telegram.comment("Яма", photo=fake_telegram.photo())
    assert run_source(telegram_source, max_pages=1).created == 1
    assert run_enqueued_downloads() == 1
    copy = AttachmentCopy.objects.get(message__external_id=f"{GROUP}:{sent['message_id']}")
    assert copy.kind == "photo"
