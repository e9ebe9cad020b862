"""R-8.7, R-4: an approved answer to a VK comment its author deleted. VK refuses the reply; the outbox does not
retry it, marks the message and tells the executor in Russian to publish by hand or have the case closed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Notification
from otklik.intake.models import DeletedHow, Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = -200000001
ANSWER = "Павел, здравствуйте! Врач начнёт приём в ФАП Лукаши со 2 декабря, часы приёма 9:00–16:00."


def approved_case(p: Personas, message: Message) -> Case:
    with transaction.atomic():
        case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health, 1)])
        draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
        actions.approve_draft(p.curator, draft)
    return case


def delete_event(comment_id: int, deleter_id: int) -> Any:
    event = {
        "group_id": 200000001,
        "type": "wall_reply_delete",
        "event_id": f"del-{comment_id}",
        "v": "5.199",
        "object": {"owner_id": OWNER, "id": comment_id, "deleter_id": deleter_id, "post_id": 101},
        "secret": "demo-callback-secret",
    }
    return Client().post(
        "/integrations/vk/callback/", data=json.dumps(event), content_type="application/json"
    )


def last_note(p: Personas, case: Case) -> str:
    note = Notification.objects.filter(recipient=p.alice, case=case).order_by("-id").first()
    assert note is not None
    return note.text


def test_a_reply_to_a_comment_deleted_meanwhile_fails_once_with_a_russian_reason(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """The author deleted the comment after the curator approved the answer (no event reached us): VK refuses
    the reply; the row fails at once (no retries), the message is marked, and the executor reads why."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    case = approved_case(personas, message)
    fake_vk.delete_comment(1001)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED and row.attempts == 1 and row.next_attempt_at is None
    assert row.last_error.startswith(
        "комментарий удалён в сети — опубликуйте ответ вручную"
    )  # by whom: unknown
    assert fake_vk.published == []
    message.refresh_from_db()
    assert message.deleted_at is not None and message.deleted_how == DeletedHow.PUBLISH
    assert "комментарий удалён в сети" in last_note(personas, case)
    event = CaseEvent.objects.get(case=case, action="api_publish_failed")
    assert "или попросите куратора закрыть обращение" in event.reason
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING  # the executor publishes by hand or the curator closes it
    send(row.pk)
    assert len(fake_vk.calls("wall.createComment")) == 1  # failed is final


def test_a_refusal_that_looks_transient_is_not_retried_when_the_comment_is_gone(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    case = approved_case(personas, Message.objects.get(external_id=f"{OWNER}_101_1001"))
    fake_vk.delete_comment(1001)
    fake_vk.fail("wall.createComment", code=10)  # "internal server error" instead of a clear refusal
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED and row.last_error.startswith("комментарий удалён в сети")


def test_a_transient_refusal_for_a_comment_that_is_there_is_retried(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    case = approved_case(personas, Message.objects.get(external_id=f"{OWNER}_101_1001"))
    fake_vk.fail("wall.createComment", code=10)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.PENDING and "error 10" in row.last_error
    assert Message.objects.get(external_id=f"{OWNER}_101_1001").deleted_at is None


def test_a_reply_to_a_comment_known_deleted_is_not_sent(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """The delete event came first: nothing is sent to VK; a moderator's deletion is named as such."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    case = approved_case(personas, message)
    fake_vk.delete_comment(1001)
    assert delete_event(1001, OWNER).content == b"ok"  # deleted by the community's moderator
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    assert row.last_error.startswith("комментарий удалён модератором сообщества в сети")
    assert fake_vk.calls("wall.createComment") == []
    message.refresh_from_db()
    assert message.deleted_how == DeletedHow.EVENT  # the first mark stays


def test_a_comment_marked_deleted_but_there_again_is_answered(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """The restore event was lost: VK is asked before refusing, the answer is published, the mark removed."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1003")  # a reply in a thread
    case = approved_case(personas, message)
    assert delete_event(1003, int(message.author_id)).content == b"ok"
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.SENT
    [published] = fake_vk.published
    assert published["reply_to_comment"] == "1003"
    message.refresh_from_db()
    assert message.deleted_at is None
