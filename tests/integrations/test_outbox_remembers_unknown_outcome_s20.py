"""R-8.7: an attempt whose answer never came back may have published the answer. VK deduplicates a retry by our
key, so the outbox tries again; when a later attempt is then refused plainly (VK's flood control) and the row
gives up, the executor is still told that the answer may already be in the thread («проверьте ветку в сети») —
not simply to publish it by hand, which would put a second copy under the author's comment. The outbox row now
remembers such an attempt (`Outbox.maybe_sent`)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import MAX_ATTEMPTS, send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import ANSWER, approved_case
from tests.integrations.test_deleted_publish import last_note

pytestmark = pytest.mark.django_db(transaction=True)


def _two_attempts(
    personas: Personas,
    vk_source: Source,
    fake_vk: FakeVK,
    second: dict[str, object],
    monkeypatch: pytest.MonkeyPatch,
) -> tuple:
    # approved on Tuesday 22.04.2025 at 17:50: the publication's term ends on Wednesday at 09:20, after the first
    # retry (half an hour at this attempt), so the outbox retries rather than stopping before the due moment
    at = msk(2025, 4, 22, 17, 50)
    monkeypatch.setattr(timezone, "now", lambda: at)
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    Outbox.objects.filter(case_id=case.pk).update(attempts=MAX_ATTEMPTS - 2)
    pk = Outbox.objects.get(case_id=case.pk).pk
    fake_vk.fail("wall.createComment", after=True)  # VK posts it; its answer is lost on the way back
    first = send(pk, reschedule=False)
    assert first.state == Outbox.State.PENDING  # VK deduplicates by our key: tried again
    assert first.maybe_sent
    Outbox.objects.filter(pk=pk).update(next_attempt_at=None)
    fake_vk.fail("wall.createComment", **second)
    return case, send(pk, reschedule=False)


def test_a_plain_refusal_after_a_lost_answer_still_asks_to_check_the_thread(
    personas: Personas, vk_source: Source, fake_vk: FakeVK, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, row = _two_attempts(
        personas, vk_source, fake_vk, {"code": 9}, monkeypatch
    )  # «Flood control» on the last attempt

    assert row.state == Outbox.State.FAILED
    assert len([c for c in fake_vk.comments if c["text"] == ANSWER]) == 1  # the answer IS in VK
    assert "неизвестно, опубликован ли ответ" in row.last_error, row.last_error
    note = last_note(personas, case)
    assert "проверьте ветку в сети" in note, note


def test_a_row_with_no_lost_answer_is_asked_by_hand_plainly(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """The counterpart: every attempt was refused plainly, so nothing is in the thread and the executor publishes."""
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    Outbox.objects.filter(case_id=case.pk).update(attempts=MAX_ATTEMPTS - 1)
    fake_vk.fail("wall.createComment", code=9)

    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    assert row.state == Outbox.State.FAILED
    assert not row.maybe_sent
    assert "неизвестно, опубликован ли ответ" not in row.last_error
    assert not [c for c in fake_vk.comments if c["text"] == ANSWER]
