"""R-8.7: an approved answer reaches the network once. A request whose answer was lost on the way back is not
repeated where the network does not deduplicate (Telegram, YouTube), a refusal that did nothing is; an answer
the executor published by hand while the row waited for its retry is not published again; a reply to a
Telegram message deleted meanwhile is told as such in Russian."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Draft, Notification, Publication
from otklik.intake.models import DeletedHow, Message, Outbox, Source
from otklik.intake.outbox import enqueue_reply, send
from otklik.intake.pipeline import run_source
from otklik.org.models import OfficialAccount
from tests.conftest import Personas, msk
from tests.fakes.base import Request, Response
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = -200000001
TG_MESSAGE = "-1009876543210:311"
ANSWER = "Павел, здравствуйте! Врач начнёт приём в ФАП Лукаши со 2 декабря, часы приёма 9:00–16:00."


def approved(p: Personas, message: Message) -> tuple[Case, Draft]:
    with transaction.atomic():
        case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health, 1)])
        draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
        actions.approve_draft(p.curator, draft)
    draft.refresh_from_db()
    return case, draft


def last_note(p: Personas, case: Case) -> str:
    note = Notification.objects.filter(recipient=p.alice, case=case).order_by("-id").first()
    assert note is not None
    return note.text


def due_now(row: Outbox) -> None:
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())


def test_a_telegram_answer_whose_response_was_lost_is_not_sent_twice(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-8.7: Telegram posts the answer but its gateway answers 502 (or the connection drops): Telegram has no
    idempotency key, so a retry would post a second copy. The row fails at once, and the executor is told in
    Russian that the answer may be there already and to check the thread before publishing by hand."""
    run_source(telegram_source)
    case, _ = approved(personas, Message.objects.get(external_id=TG_MESSAGE))
    fake_telegram.fail("sendMessage", after=True)
    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)
    assert row.state == Outbox.State.FAILED and row.next_attempt_at is None
    due_now(row)
    assert send(row.pk).state == Outbox.State.FAILED
    assert len(fake_telegram.published) == 1  # one copy in the chat
    note = last_note(personas, case)
    assert "неизвестно, опубликован ли ответ" in note and "проверьте ветку в сети" in note
    assert "api_publish_failed" in CaseEvent.objects.filter(case=case).values_list("action", flat=True)


def test_a_telegram_refusal_that_did_nothing_is_still_retried(
    telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-8.7: an explicit refusal (a 429 with a long wait) or a server that cannot be reached published
    nothing: the row waits and is sent later, exactly once."""
    run_source(telegram_source)
    row = enqueue_reply(Message.objects.get(external_id=TG_MESSAGE), ANSWER, "tg-retry")
    fake_telegram.fail("sendMessage", error_code=429, retry_after=40)
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.PENDING
    api_base = telegram_source.config["api_base"]
    telegram_source.config = {**telegram_source.config, "api_base": "http://127.0.0.1:9"}  # nothing listens
    telegram_source.save(update_fields=["config"])
    due_now(row)
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.PENDING and "ConnectError" in row.last_error
    telegram_source.config = {**telegram_source.config, "api_base": api_base}
    telegram_source.save(update_fields=["config"])
    due_now(row)
    assert send(row.pk, reschedule=False).state == Outbox.State.SENT
    assert len(fake_telegram.published) == 1


class LossyYouTube(FakeYouTube):
    """YouTube that inserts the reply and then answers with a backend error, as after a timeout behind it."""

    lose_next_insert = False

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if self.lose_next_insert and request.method == "POST" and response.status == 200:
            self.lose_next_insert = False
            return self._error(503, "backendError", "The service is currently unavailable.")
        return response


def test_a_youtube_reply_whose_response_was_lost_is_not_sent_twice(db: None) -> None:
    """R-8.7: ``comments.insert`` has no idempotency key: after a 503 that came once the reply was made, the row
    fails with the note to check the thread instead of posting a second reply."""
    with LossyYouTube() as fake:
        source = Source.objects.create(
            network="youtube",
            kind=Source.Kind.CHANNEL,
            title="yt",
            config={
                "api_base": fake.url,
                "api_key": fake.api_key,
                "oauth_token": fake.oauth,
                "videos": ["dQw4w9WgXcQ"],
            },
        )
        run_source(source)
        row = enqueue_reply(
            Message.objects.get(external_id="UgzDemoThread2AaABAg.8xyzReplyA1"), ANSWER, "yt-l"
        )
        fake.lose_next_insert = True
        row = send(row.pk, reschedule=False)
        assert row.state == Outbox.State.FAILED and "проверьте ветку в сети" in row.last_error
        due_now(row)
        send(row.pk, reschedule=False)
        assert len(fake.published) == 1


def test_an_answer_published_by_hand_while_waiting_for_a_retry_is_not_published_again(
    personas: Personas, vk_source: Source, fake_vk: FakeVK, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-8.7: VK said «rate limit reached», so the row waits an hour; the executor, told at approval to publish
    within 30 working minutes, publishes by hand and confirms the link. The row must not then post a second copy.
    Approved on Tuesday 22.04.2025 at 17:50, so the hour's wait ends before the publication's term (Wednesday
    09:20): on the real clock in working hours the retry would fall after the term and the row fails for good at
    once (the outbox stops before the due moment), which the test is not about."""
    at = msk(2025, 4, 22, 17, 50)
    monkeypatch.setattr(timezone, "now", lambda: at)
    run_source(vk_source)
    case, draft = approved(personas, Message.objects.get(external_id=f"{OWNER}_101_1003"))
    fake_vk.fail("wall.createComment", code=29)
    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)
    assert row.state == Outbox.State.PENDING
    actions.confirm_publication(
        personas.alice, draft, url=f"https://vk.com/wall{OWNER}_101?reply=5555&thread=1002"
    )
    due_now(row)
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.MANUAL
    assert fake_vk.published == []
    [publication] = Publication.objects.filter(case=case)
    assert publication.method == Publication.Method.MANUAL


def test_another_draft_published_by_hand_does_not_stop_this_one(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """The check is per draft: a row of this case's draft is sent when its own draft is not published yet."""
    run_source(vk_source)
    case, draft = approved(personas, Message.objects.get(external_id=f"{OWNER}_101_1003"))
    row = Outbox.objects.get(case_id=case.pk)
    other = Outbox.objects.create(
        message=row.message,
        text=ANSWER,
        idempotency_key=f"case-{case.pk}-draft-{draft.pk + 1000}",
        case_id=case.pk,
    )
    assert send(row.pk, reschedule=False).state == Outbox.State.SENT
    assert send(other.pk, reschedule=False).state == Outbox.State.SENT
    assert len(fake_vk.published) == 2


def test_a_reply_to_a_telegram_message_deleted_meanwhile_is_told_in_russian(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-8.7, R-4: the author deleted the message after approval; Telegram refuses the reply with «message to
    be replied not found». The row fails at once, the message is marked deleted, the executor reads why."""
    run_source(telegram_source)
    message = Message.objects.get(external_id=TG_MESSAGE)
    case, _ = approved(personas, message)
    fake_telegram.fail(
        "sendMessage", error_code=400, description="Bad Request: message to be replied not found"
    )
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED and row.attempts == 1
    assert row.last_error.startswith("комментарий удалён в сети")
    message.refresh_from_db()
    assert message.deleted_at is not None and message.deleted_how == DeletedHow.PUBLISH
    assert "комментарий удалён в сети" in last_note(personas, case)
    assert fake_telegram.published == []


@pytest.mark.parametrize(
    "description", ["Bad Request: chat not found", "Bad Request: message text is empty or too long"]
)
def test_other_telegram_refusals_are_not_taken_for_a_deleted_message(
    telegram_source: Source, fake_telegram: FakeTelegram, description: str
) -> None:
    run_source(telegram_source)
    row = enqueue_reply(Message.objects.get(external_id=TG_MESSAGE), ANSWER, "tg-400")
    fake_telegram.fail("sendMessage", error_code=400, description=description)
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.FAILED and description in row.last_error
    assert Message.objects.get(external_id=TG_MESSAGE).deleted_at is None


class GarbledTelegram(FakeTelegram):
    """Telegram that sends the message but answers ``{"ok": true, "result": true}`` instead of the message."""

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if request.path.endswith("/sendMessage") and response.status == 200:
            return Response(body={"ok": True, "result": True})
        return response


def test_a_success_without_the_message_tells_the_executor_to_check_the_thread_first(
    personas: Personas, db: None
) -> None:
    """R-8.7: Telegram said «ok» but gave back no message: the answer is probably there. The executor is not
    simply told to publish by hand (a second copy) but to check the thread first."""
    with GarbledTelegram() as fake:
        source = Source.objects.create(
            network="telegram",
            kind=Source.Kind.CHANNEL,
            title="tg",
            config={"api_base": fake.url, "token": fake.token},
        )
        run_source(source)
        case, _ = approved(personas, Message.objects.get(external_id=TG_MESSAGE))
        row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)
        assert row.state == Outbox.State.FAILED
        assert len(fake.published) == 1
        assert "проверьте ветку в сети" in last_note(personas, case)


def test_r9_an_answer_with_photos_is_left_to_the_executor_and_an_automatic_one_says_so(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-8.7, R-9: the connectors publish text only. An approved answer that carries photos (the proof of the
    work done) is not sent without them: no outbox row, and the executor is told to publish it with the photos
    by hand; an answer of text only is published by the system, and the executor is told that instead of
    «разместите его» (following that would post a second copy)."""
    p = personas
    run_source(vk_source)
    with transaction.atomic():
        with_photos = actions.dispatch_case(
            p.curator, [Message.objects.get(external_id=f"{OWNER}_101_1001")], [actions.Route(p.health, 1)]
        )
        draft = actions.submit_draft(
            p.alice, with_photos, "answer", ANSWER, attachments=["answers/2025/yama-do-i-posle.jpg"]
        )
        actions.approve_draft(p.curator, draft)
    assert not Outbox.objects.filter(case_id=with_photos.pk).exists()
    note = last_note(p, with_photos)
    assert "вместе с фотографиями вручную" in note and "ссылку" in note

    text_only, _draft = approved(p, Message.objects.get(external_id=f"{OWNER}_101_1003"))
    assert Outbox.objects.filter(case_id=text_only.pk).count() == 1
    assert "будет опубликован автоматически" in last_note(p, text_only)
    assert "разместите его." not in last_note(p, text_only)
    assert fake_vk.published == []


def test_r4_a_comment_by_a_bodys_youtube_channel_is_ours_not_the_curators_work(
    personas: Personas, youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    """R-4, R-5: our answer posted by hand under a video comes back with the next read as a comment of the body's
    YouTube channel («UC…», registered as its official account by id or by the channel's link): it is marked
    official and kept out of the inbox; a viewer's comment is not."""
    OfficialAccount.objects.create(
        body=personas.health,
        network="youtube",
        title="Минздрав ЛО",
        url="https://www.youtube.com/channel/UCnew",
    )
    run_source(youtube_source)
    viewers = set(Message.objects.filter(network="youtube").values_list("pk", flat=True))
    assert viewers and not Message.objects.filter(pk__in=viewers, is_official=True).exists()
    ours = fake_youtube.add_thread(
        "dQw4w9WgXcQ", "Здравствуйте! Приём ведётся по записи.", author="Минздрав ЛО"
    )
    run_source(youtube_source)
    assert Message.objects.get(network="youtube", external_id=ours).is_official
