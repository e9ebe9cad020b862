"""R-8.7: VK carries out wall.createComment but its answer is lost (a gateway's 502), and the next attempt would
come after the publication is due, so the outbox stops retrying. The executor is told that it is unknown whether
the answer went out and to check the thread in the network before publishing by hand («неизвестно, опубликован ли
ответ … проверьте ветку в сети»), as after the last attempt — no longer «сеть временно не ответила … попыток больше
не будет … опубликуйте вручную», which made her post a second copy under the citizen's comment.

A row whose publication was already late before its attempt began (the term ran out while it waited) is not made
final by its first temporary failure: it keeps its attempts, and the executor is told at once that she may publish
by hand meanwhile. The retry that publishes the answer asks her to delete a copy posted by hand only when she was
told of a failure for that row: a row retried because its worker died (VK deduplicates by our key) sends no such
notice.

Found by a review (session 19, second round)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from otklik.cases.models import Deadline, Notification
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import ANSWER, approved_case
from tests.integrations.test_deleted_publish import last_note

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_vk_published_without_answering_near_the_due_moment_is_not_asked_for_again_by_hand(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    # a few seconds of the 30 minutes are left (the approval came late, or earlier attempts used them up)
    Deadline.objects.filter(case=case, stage=Deadline.Stage.PUBLISH).update(
        due_at=timezone.now() + timedelta(seconds=10)
    )
    fake_vk.fail("wall.createComment", after=True)  # VK posts the answer; its answer is a 502

    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    assert row.state == Outbox.State.FAILED
    assert len([c for c in fake_vk.comments if c["text"] == ANSWER]) == 1  # the answer IS in VK
    note = last_note(personas, case)
    assert "проверьте ветку в сети" in note, (
        "the executor is told to publish by hand although VK may have published the answer already: " + note
    )


def test_a_row_already_late_keeps_its_attempts_and_the_executor_is_told_she_may_publish_by_hand(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    case, _draft = approved_case(personas, Message.objects.get(external_id="-200000001_101_1001"))
    Deadline.objects.filter(case=case, stage=Deadline.Stage.PUBLISH).update(
        due_at=timezone.now() - timedelta(minutes=5)
    )  # the term ran out before the attempt began
    fake_vk.fail("wall.createComment", code=9)  # flood control: VK asks to wait ten minutes

    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    assert row.state == Outbox.State.PENDING and row.next_attempt_at is not None, row.last_error
    note = last_note(personas, case)
    assert note.startswith(f"Обращение № {case.pk}: Ответ пока не опубликован"), note
    assert "опубликуйте ответ вручную и подтвердите ссылку" in note, note
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # the backoff has passed
    assert send(row.pk, reschedule=False).state == Outbox.State.SENT
    assert [c["message"] for c in fake_vk.published] == [ANSWER]


def test_a_retry_after_a_dead_worker_does_not_ask_to_delete_a_copy_nobody_was_asked_to_post(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    case, _draft = approved_case(personas, Message.objects.get(external_id="-200000001_101_1001"))
    # the first attempt's worker died while sending: its lease is over, nobody was told anything
    Outbox.objects.filter(case_id=case.pk).update(
        state=Outbox.State.SENDING, attempts=1, next_attempt_at=timezone.now() - timedelta(seconds=1)
    )

    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    assert (row.state, row.attempts) == (Outbox.State.SENT, 2)
    told = list(Notification.objects.filter(case=case).values_list("text", flat=True))
    assert not [t for t in told if "удалите свою копию" in t], told
