"""Telegram connector against the loopback fake: long polling, discussion-group comments, 429, webhook."""

from __future__ import annotations

import io
import json
import time
from contextlib import closing
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from otklik.intake.models import Cursor, Message, Post, Quarantine, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.base import ConnectorError
from otklik.integrations.telegram.client import TelegramClient
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

GROUP = -1009876543210
CHANNEL = -1001234567890


def test_first_fetch_links_comments_to_the_channel_post(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    report = run_source(telegram_source)
    assert report.error == "" and report.created == 3
    post = Post.objects.get()
    assert post.external_id == f"{CHANNEL}:45" and post.url == "https://t.me/demo_health_lenobl/45"
    first = Message.objects.get(external_id=f"{GROUP}:311")
    assert first.post == post and first.reply_to is None
    assert first.author_name == "Светлана Иванова" and first.author_url == "https://t.me/svet_iv"
    assert first.url == "https://t.me/demo_health_lenobl_chat/311"
    reply = Message.objects.get(external_id=f"{GROUP}:312")
    assert reply.reply_to == first and reply.post == post  # a reply to a comment inherits its post
    photo = Message.objects.get(external_id=f"{GROUP}:313")
    assert photo.text == "Вот очередь у регистратуры сегодня утром"
    assert photo.attachments == [
        {"type": "photo", "file_id": "AgACAgIAAxkBAAIBPmLarge", "file_unique_id": "AQADl"}
    ]
    assert Cursor.objects.get(source=telegram_source).position == {"offset": 900000006}


def test_incremental_fetch_confirms_with_offset(telegram_source: Source, fake_telegram: FakeTelegram) -> None:
    run_source(telegram_source)
    fake_telegram.requests.clear()
    fake_telegram.comment("А когда будет ответ?", reply_to=312, message_id=314)
    assert run_source(telegram_source).created == 1
    assert fake_telegram.calls("getUpdates")[0].params["offset"] == 900000006
    assert Message.objects.get(external_id=f"{GROUP}:314").reply_to.external_id == f"{GROUP}:312"  # type: ignore[union-attr]
    assert run_source(telegram_source).created == 0


def test_updates_delivered_twice_are_stored_once(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    snapshot = [dict(u) for u in fake_telegram.updates]
    run_source(telegram_source)
    fake_telegram.updates = snapshot  # e.g. the confirmation was lost and Telegram sends them again
    Cursor.objects.filter(source=telegram_source).update(position={})
    report = run_source(telegram_source)
    assert report.created == 0 and report.updated == 3
    assert Message.objects.count() == 3


def test_a_short_429_is_waited_out(fake_telegram: FakeTelegram) -> None:
    with closing(TelegramClient(fake_telegram.token, api_base=fake_telegram.url, max_wait=5)) as client:
        fake_telegram.fail("getUpdates", error_code=429, retry_after=1)
        started = time.monotonic()
        assert len(client.call("getUpdates")) == 5
        assert time.monotonic() - started >= 1.0


def test_a_long_429_is_handed_to_the_caller_with_retry_after(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail("getUpdates", error_code=429, retry_after=35)
    report = run_source(telegram_source)
    assert "retry after 35" in report.error
    assert not Message.objects.exists()
    assert Cursor.objects.get(source=telegram_source).position == {}
    assert run_source(telegram_source).created == 3  # nothing was lost


@pytest.mark.parametrize(("status", "permanent"), [(401, True), (400, True), (502, False), (409, False)])
def test_other_errors(fake_telegram: FakeTelegram, status: int, permanent: bool) -> None:
    fake_telegram.fail("getUpdates", error_code=status, description="error")
    client = TelegramClient(fake_telegram.token, api_base=fake_telegram.url)
    with closing(client), pytest.raises(ConnectorError) as info:
        client.call("getUpdates")
    assert info.value.permanent is permanent


def test_a_broken_update_is_quarantined_and_the_rest_stored(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.updates[2]["message"].pop("chat")
    run_source(telegram_source)
    assert Message.objects.count() == 2
    assert "chat" in Quarantine.objects.get().error


def webhook(client: Client, source: Source, update: Any, secret: str = "tg-secret") -> Any:  # noqa: S107
    body = update if isinstance(update, bytes) else json.dumps(update)
    return client.post(
        f"/integrations/telegram/webhook/{source.pk}/",
        data=body,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret},
    )


def test_webhook_checks_the_secret_and_ignores_repeats(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    client = Client()
    update = fake_telegram.updates[2]
    assert webhook(client, telegram_source, update, secret="nope").status_code == 403
    assert not Message.objects.exists()
    for _ in range(2):
        assert webhook(client, telegram_source, update).status_code == 200
    assert Message.objects.count() == 1
    assert webhook(client, telegram_source, b"{not json").status_code == 200
    assert Quarantine.objects.count() == 1


def test_the_webhook_is_registered_with_telegram_and_polling_resumes_after_it_is_removed(
    fake_telegram: FakeTelegram,
) -> None:
    """`otklik webhook set`: Telegram learns our URL and a secret it will send back; updates then arrive by
    push with that secret; polling pauses (Telegram would answer 409) and resumes from the cursor after
    `otklik webhook delete`."""
    source = Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Канал",
        config={"api_base": fake_telegram.url, "token": fake_telegram.token},
    )
    out = io.StringIO()
    call_command(
        "webhook", "set", "--source", str(source.pk), "--base-url", "https://otklik.example.ru/", stdout=out
    )
    url = f"https://otklik.example.ru/integrations/telegram/webhook/{source.pk}/"
    assert url in out.getvalue()
    registered = fake_telegram.webhook
    assert registered["url"] == url
    assert set(registered["allowed_updates"]) >= {"message", "channel_post"}
    secret = registered["secret_token"]
    assert len(secret) >= 32

    source.refresh_from_db()  # as `otklik ingest` reads its sources on every pass
    report = run_source(source)  # no getUpdates while Telegram pushes
    assert report.error == "" and report.created == 0
    assert webhook(Client(), source, fake_telegram.updates[2], secret=secret).status_code == 200
    assert Message.objects.count() == 1

    call_command("webhook", "set", "--source", str(source.pk), "--base-url", "https://otklik.example.ru")
    assert fake_telegram.webhook["secret_token"] == secret  # the same secret: deliveries in flight still pass

    call_command("webhook", "delete", "--source", str(source.pk), stdout=io.StringIO())
    assert fake_telegram.webhook == {}
    source.refresh_from_db()
    # Polling again: the other two updates are new, the pushed one is not stored twice.
    assert run_source(source).created == 2
    assert Message.objects.count() == 3


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--base-url", "http://otklik.example.ru"], "только по HTTPS"),
        ([], "только по HTTPS"),
    ],
)
def test_the_webhook_needs_an_https_address(
    telegram_source: Source, fake_telegram: FakeTelegram, args: list[str], error: str
) -> None:
    with pytest.raises(CommandError, match=error):
        call_command("webhook", "set", "--source", str(telegram_source.pk), *args)
    assert fake_telegram.webhook == {}


def test_telegram_refusing_the_webhook_is_reported_in_russian(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    fake_telegram.fail(
        "setWebhook", error_code=400, description="Bad Request: bad webhook: Failed to resolve host"
    )
    with pytest.raises(CommandError, match=r"Telegram отказал: .*Failed to resolve host"):
        call_command(
            "webhook",
            "set",
            "--source",
            str(telegram_source.pk),
            "--base-url",
            "https://no-such-host.example",
        )
    telegram_source.refresh_from_db()
    assert "webhook_url" not in telegram_source.config  # polling goes on
