"""R-8.7: VK carries out wall.createComment but its answer never comes back (a gateway's 5xx, a read timeout) on
the outbox's last attempt. The executor is told that it is unknown whether the answer went out and to check the
thread in the network before publishing by hand («проверьте ветку в сети»), as for Telegram and YouTube — no
longer «опубликуйте ответ вручную» while the answer is already under the comment (the author would get it
twice): the VK client now marks such a failure `maybe_done`. Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import MAX_ATTEMPTS, send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import ANSWER, approved_case
from tests.integrations.test_deleted_publish import last_note

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_vk_published_on_the_last_attempt_without_telling_us_is_not_asked_for_again_by_hand(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    # the earlier attempts failed (VK was down); the last one reaches VK, which posts it, and the answer is lost
    Outbox.objects.filter(case_id=case.pk).update(attempts=MAX_ATTEMPTS - 1)
    fake_vk.fail("wall.createComment", after=True)

    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    assert row.state == Outbox.State.FAILED
    assert len([c for c in fake_vk.comments if c["text"] == ANSWER]) == 1  # the answer IS in VK
    note = last_note(personas, case)
    assert "проверьте ветку в сети" in note, note  # not simply told to publish by hand: a second copy
