# ruff: noqa: F811 - the integration fixtures imported below are arguments of the tests
"""Review of the Telegram file copies (R-4, R-9): a file is one copy whatever ``file_id`` a later delivery
gives it, a repeat delivery does not hurry Telegram while its attempts are paused, and the parts of an album
pushed to the webhook one by one are all copied. Against the loopback fake Bot API."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from otklik.intake.models import AttachmentCopy, Message, Source
from otklik.intake.pipeline import run_source
from otklik.intake.tasks import download_attachments
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram
from tests.integrations.conftest import fake_telegram, telegram_source  # noqa: F401 - fixtures
from tests.integrations.test_telegram import webhook
from tests.integrations.test_tg_files import media, run_enqueued_downloads  # noqa: F401 - media: an autouse fixture

pytestmark = pytest.mark.django_db
GROUP = -1009876543210


def tasks() -> Any:
    return DBTaskResult.objects.filter(task_path__endswith="download_attachments")


@pytest.fixture(autouse=True)
def read_before(telegram_source: Source, fake_telegram: FakeTelegram) -> None:
    assert run_source(telegram_source).error == ""
    run_enqueued_downloads()
    fake_telegram.requests.clear()


def edit(fake: FakeTelegram, sent: dict[str, Any], **changes: Any) -> None:
    """The author edits the message: Telegram sends it again as ``edited_message``."""
    fake.push("edited_message", {**sent, **changes, "edit_date": int(time.time()) + 5})


def test_a_photo_delivered_again_with_another_file_id_keeps_its_copy(
    telegram_source: Source, fake_telegram: FakeTelegram, personas: Personas, client: Client
) -> None:
    """R-4, R-9: Telegram gives the same photo another ``file_id`` in a later delivery (an edited caption; a
    second bot in the group gets its own); ``file_unique_id`` stays. The copy made is still the one shown,
    and the photo is not downloaded a second time."""
    sizes = fake_telegram.photo()
    sent = fake_telegram.comment("", photo=sizes, caption="Яма у дома 5")
    assert run_source(telegram_source).error == ""
    assert run_enqueued_downloads() == 1
    message = Message.objects.get(external_id=f"{GROUP}:{sent['message_id']}")
    copy = AttachmentCopy.objects.get(message=message)
    fake_telegram.requests.clear()

    again = dict(fake_telegram.files[sizes[-1]["file_id"]], file_id="AgACAgIAAxkBAAIanotherBotsId")
    fake_telegram.files[again["file_id"]] = again
    edit(
        fake_telegram,
        sent,
        caption="Яма у дома 7",
        photo=[sizes[0], {**sizes[-1], "file_id": again["file_id"]}],
    )
    assert run_source(telegram_source).error == ""
    run_enqueued_downloads()

    message.refresh_from_db()
    assert message.text == "Яма у дома 7"
    assert list(AttachmentCopy.objects.filter(message=message)) == [copy]
    assert fake_telegram.calls("getFile") == []
    client.force_login(personas.curator)
    page = client.get(reverse("cases:dispatch", args=[message.pk])).content.decode()
    image = reverse("intake:attachment", args=[message.pk, copy.pk])
    assert f'<img src="{image}" alt="фото 1"' in page and "копия ещё не сохранена" not in page


def test_an_edit_while_telegram_asks_to_wait_does_not_ask_again_at_once(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: Telegram answered getFile with «retry after 120»; the author then fixes the caption. The edit does
    not start an attempt of its own (nor a second chain of attempts): the one scheduled attempt stays."""
    sent = fake_telegram.comment("", photo=fake_telegram.photo(), caption="Яма")
    assert run_source(telegram_source).error == ""
    fake_telegram.fail("getFile", error_code=429, retry_after=120)
    pending = list(tasks())
    assert len(pending) == 1
    download_attachments.call(*pending[0].args_kwargs["args"])
    pending[0].delete()
    copy = AttachmentCopy.objects.get(message__external_id=f"{GROUP}:{sent['message_id']}")
    assert copy.error == "Telegram ответил 429, копия будет запрошена ещё раз"
    assert tasks().count() == 1  # the attempt after Telegram's pause

    edit(fake_telegram, sent, caption="Яма у школы № 3")
    assert run_source(telegram_source).error == ""
    assert tasks().count() == 1
    assert len(fake_telegram.calls("getFile")) == 1


def test_album_parts_pushed_one_by_one_are_all_copied(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4: an album's photos arrive at the webhook as separate updates; the later one joins the message
    stored from the first, and its photo is copied too."""
    first = fake_telegram.comment(
        "", photo=fake_telegram.photo(), caption="Два фото ямы", media_group_id="77"
    )
    fake_telegram.comment("", photo=fake_telegram.photo(), media_group_id="77")
    client = Client()
    for update in fake_telegram.updates[-2:]:
        assert webhook(client, telegram_source, update).status_code == 200
    run_enqueued_downloads()
    message = Message.objects.get(external_id=f"{GROUP}:{first['message_id']}")
    copies = AttachmentCopy.objects.filter(message=message)
    assert sorted((c.kind, c.error) for c in copies) == [("photo", ""), ("photo", "")]
