"""R-8.7, R-4: review of the reply to a VK comment marked deleted. A network outage never makes
a comment that is still there look deleted; a refusal for good trusts the mark."""

from __future__ import annotations

import pytest
from django.utils import timezone

from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.integrations.test_deleted_publish import OWNER, approved_case, delete_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_marked_comment_is_not_taken_for_deleted_while_vk_is_unreachable(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-8.7: the comment was marked by a delete event, then restored (the restore event was lost). While VK
    does not answer, the reply is retried later, not failed as «deleted»; once VK answers it is published."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    case = approved_case(personas, message)
    before = next(dict(c) for c in fake_vk.comments if c["id"] == 1001)
    fake_vk.delete_comment(1001)
    assert delete_event(1001, int(message.author_id)).content == b"ok"
    assert Message.objects.get(pk=message.pk).deleted_at is not None
    fake_vk.restore_comment(before)  # …and its restore event is lost
    fake_vk.fail("wall.getComments", http_status=502)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.PENDING and row.next_attempt_at is not None
    assert "удалён" not in row.last_error
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # its backoff is over
    row = send(row.pk)
    assert row.state == Outbox.State.SENT
    [published] = fake_vk.published
    assert published["reply_to_comment"] == "1001"
    message.refresh_from_db()
    assert message.deleted_at is None


def test_a_marked_comment_vk_refuses_to_show_stays_deleted(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-8.7: the comment is marked and VK refuses for good to say whether it is there (access to the comments
    denied): the mark is trusted, nothing is sent, the executor reads the Russian reason."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    case = approved_case(personas, message)
    fake_vk.delete_comment(1001)
    assert delete_event(1001, int(message.author_id)).content == b"ok"
    fake_vk.fail("wall.getComments", code=212)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    assert row.last_error.startswith("комментарий удалён автором в сети")
    assert fake_vk.calls("wall.createComment") == []
