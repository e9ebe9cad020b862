"""Publishing answers through the outbox: right parameters, never twice, backoff, manual fallback (R-8.7)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import enqueue_reply, send, send_due
from otklik.intake.pipeline import run_source
from otklik.integrations.base import ConnectorError
from otklik.integrations.publish import publish_reply
from tests.fakes.ok import FakeOK
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = -200000001
ANSWER = "Павел, здравствуйте! Врач начнёт приём в ФАП Лукаши со 2 декабря, часы приёма 9:00–16:00."


def test_vk_reply_lands_in_the_thread_with_guid(vk_source: Source, fake_vk: FakeVK) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1003")
    result = publish_reply(message, ANSWER, "case-7-answer-1")
    [published] = fake_vk.published
    assert published == {
        "owner_id": str(OWNER),
        "post_id": "101",
        "from_group": "200000001",
        "message": ANSWER,
        "reply_to_comment": "1003",
        "guid": "case-7-answer-1",
        "v": "5.199",
    }
    assert result.url.startswith(f"https://vk.com/wall{OWNER}_101?reply=") and result.url.endswith(
        "&thread=1002"
    )


def test_vk_lost_response_is_retried_with_the_same_guid_and_posted_once(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    with transaction.atomic():
        row = enqueue_reply(message, ANSWER, "case-8-answer-1")
    assert (
        DBTaskResult.objects.filter(args_kwargs__args=[row.pk]).count() == 1
    )  # the task was queued on commit
    fake_vk.fail("wall.createComment", after=True)  # VK posts it, but we never hear back
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.PENDING and row.attempts == 1 and row.next_attempt_at is not None
    assert send(row.pk).state == Outbox.State.PENDING  # not before the backoff
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    row = send(row.pk)
    assert row.state == Outbox.State.SENT and row.attempts == 2
    assert [r.params["guid"] for r in fake_vk.calls("wall.createComment")] == ["case-8-answer-1"] * 2
    assert len(fake_vk.published) == 1  # one comment in the network
    assert len([c for c in fake_vk.comments if c["text"] == ANSWER]) == 1
    assert send(row.pk).state == Outbox.State.SENT
    assert len(fake_vk.calls("wall.createComment")) == 2  # a sent row is final
    assert row.result_external_id.startswith(f"{OWNER}_101_")


@pytest.mark.parametrize(
    ("code", "state"), [(9, Outbox.State.PENDING), (15, Outbox.State.FAILED), (29, Outbox.State.PENDING)]
)
def test_vk_publish_errors_back_off_or_fail(
    vk_source: Source, fake_vk: FakeVK, code: int, state: str
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    row = enqueue_reply(message, ANSWER, f"k-{code}")
    fake_vk.fail("wall.createComment", code=code)
    before = timezone.now()
    row = send(row.pk, reschedule=False)
    assert row.state == state and f"error {code}" in row.last_error
    if state == Outbox.State.PENDING:
        assert row.next_attempt_at is not None
        assert (row.next_attempt_at - before).total_seconds() >= {9: 600, 29: 3600}[code]


def test_telegram_reply_uses_reply_parameters(telegram_source: Source, fake_telegram: FakeTelegram) -> None:
    run_source(telegram_source)
    message = Message.objects.get(external_id="-1009876543210:311")
    row = enqueue_reply(message, ANSWER, "tg-1")
    row = send(row.pk)
    assert row.state == Outbox.State.SENT
    [published] = fake_telegram.published
    assert published["chat_id"] == -1009876543210
    assert published["reply_parameters"] == {"message_id": 311, "allow_sending_without_reply": False}
    assert row.result_url.startswith("https://t.me/demo_health_lenobl_chat/")


def test_telegram_429_waits_for_retry_after(telegram_source: Source, fake_telegram: FakeTelegram) -> None:
    run_source(telegram_source)
    row = enqueue_reply(Message.objects.get(external_id="-1009876543210:311"), ANSWER, "tg-429")
    fake_telegram.fail("sendMessage", error_code=429, retry_after=40)
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.PENDING and "retry after 40" in row.last_error
    assert not fake_telegram.published


def test_interrupted_telegram_send_is_not_repeated(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    run_source(telegram_source)
    row = enqueue_reply(Message.objects.get(external_id="-1009876543210:311"), ANSWER, "tg-crash")
    Outbox.objects.filter(pk=row.pk).update(
        state=Outbox.State.SENDING, attempts=1
    )  # the worker died mid-request
    row = send(row.pk)
    assert row.state == Outbox.State.FAILED and "check the thread" in row.last_error
    assert not fake_telegram.published


def test_youtube_reply_goes_to_the_thread(db: None, fake_youtube: FakeYouTube) -> None:
    source = Source.objects.create(
        network="youtube",
        kind=Source.Kind.CHANNEL,
        title="yt",
        config={
            "api_base": fake_youtube.url,
            "api_key": fake_youtube.api_key,
            "oauth_token": fake_youtube.oauth,
            "videos": ["dQw4w9WgXcQ"],
        },
    )
    run_source(source)
    reply = Message.objects.get(external_id="UgzDemoThread2AaABAg.8xyzReplyA1")
    row = send(enqueue_reply(reply, ANSWER, "yt-1").pk)
    assert row.state == Outbox.State.SENT
    assert fake_youtube.published == [{"parentId": "UgzDemoThread2AaABAg", "textOriginal": ANSWER}]


def test_ok_has_no_publishing_api_and_falls_back_to_manual(ok_source: Source, fake_ok: FakeOK) -> None:
    run_source(ok_source)
    message = Message.objects.filter(network="ok").first()
    assert message is not None
    row = enqueue_reply(message, ANSWER, "ok-1")
    assert row.state == Outbox.State.MANUAL
    assert send(row.pk).state == Outbox.State.MANUAL
    with pytest.raises(ConnectorError) as info:
        publish_reply(message, ANSWER, "ok-2")
    assert info.value.permanent and info.value.code == "manual"


def test_same_idempotency_key_makes_one_row(vk_source: Source, fake_vk: FakeVK) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    assert enqueue_reply(message, ANSWER, "same").pk == enqueue_reply(message, ANSWER, "same").pk
    assert send_due() == 1
    assert send_due() == 0
    assert len(fake_vk.published) == 1


def test_a_row_left_sending_by_a_dead_worker_is_taken_up_once_its_lease_is_over() -> None:
    """R-8.7: a worker that died while publishing leaves the row «sending»; within its lease nobody touches it
    (another worker may be publishing it now), after it `send_due` decides: here, on a network that does not
    deduplicate, failed with the note to check the thread, so the executor is told to publish by hand."""
    from datetime import timedelta

    from django.utils import timezone

    from otklik.intake.models import Message, Outbox
    from otklik.intake.outbox import send_due

    message = Message.objects.create(network="ok", external_id="ok-1", text="Когда починят дорогу?")
    row = Outbox.objects.create(
        message=message,
        text="Здравствуйте!",
        idempotency_key="lease-1",
        state=Outbox.State.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + timedelta(minutes=5),
    )
    assert send_due() == 0  # someone is sending it now
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert send_due() == 1
    row.refresh_from_db()
    assert row.state == Outbox.State.FAILED and "interrupted" in row.last_error
