"""R-8.7: the approved answer is due in the network within 30 minutes. When the network fails the automatic
publication (VK down, flood control, the daily limit), the executor — or whoever does their work (R-6) — is told
at the first failed attempt that the answer is not out yet, when the next attempt comes, and that they may publish
it by hand and confirm the link meanwhile (the row is then not sent); the case's timeline says so. Automatic
attempts stop, and the executor is told to publish by hand, once the next one would come after the due moment of
the case's open publication deadline; a captcha (VK's code 14) is never retried: a server cannot enter it. Before,
the outbox retried silently — 8 attempts over more than an hour (an hour each for code 29) — and told the executor
only after the last one, when the 30 minutes were long gone and the missed term was theirs.
Found by a review (session 19)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Deadline, Notification, Publication
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from otklik.org.models import Absence
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import ANSWER, approved_case
from tests.integrations.test_deleted_publish import last_note

pytestmark = pytest.mark.django_db(transaction=True)

TERM = timedelta(minutes=30)  # R-8.7 (policy «publish»)


def told_to_act(p: Personas, case_id: int) -> list[str]:
    """What the executor was told after the approval notice: a failed publication, a request to act by hand."""
    return [
        n.text
        for n in Notification.objects.filter(recipient=p.alice, case_id=case_id, kind=Notification.Kind.WORK)
        if "вручную" in n.text or "не удал" in n.text
    ]


@pytest.mark.parametrize(
    "failure",
    [
        {"code": 10, "http_status": 503},  # VK unavailable behind its gateway
        {"code": 9},  # flood control
        {"code": 14},  # captcha: a server can never enter it
        {"code": 29},  # daily limit of the method
    ],
    ids=["vk-down", "flood-9", "captcha-14", "limit-29"],
)
def test_an_answer_vk_keeps_refusing_is_handed_to_the_executor_before_the_30_minutes_run_out(
    personas: Personas, vk_source: Source, fake_vk: FakeVK, failure: dict[str, int]
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    row = Outbox.objects.get(case_id=case.pk)
    fake_vk.fail("wall.createComment", times=50, **failure)

    waited = timedelta(0)  # the time the retries take, attempt after attempt as scheduled
    while waited < TERM:
        before = timezone.now()
        row = send(row.pk, reschedule=False)
        if row.state != Outbox.State.PENDING:
            break
        assert row.next_attempt_at is not None
        waited += row.next_attempt_at - before
        Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # the backoff has passed

    assert told_to_act(personas, case.pk), (
        f"after {waited} of retries ({row.attempts} attempts, row {row.state}) the executor has not been told "
        "that the automatic publication is failing; the 30-minute term is over"
    )


def vk_case(p: Personas, vk_source: Source) -> tuple[Case, Outbox]:
    run_source(vk_source)
    case, _draft = approved_case(p, Message.objects.get(external_id="-200000001_101_1001"))
    return case, Outbox.objects.get(case_id=case.pk)


def test_the_first_failed_attempt_is_told_at_once_with_the_next_attempt_and_the_way_by_hand(
    personas: Personas, vk_source: Source, fake_vk: FakeVK, client: Client
) -> None:
    case, row = vk_case(personas, vk_source)
    fake_vk.fail("wall.createComment", times=3, code=9)  # flood control: VK asks to wait 10 minutes

    row = send(row.pk, reschedule=False)

    assert row.state == Outbox.State.PENDING and row.next_attempt_at is not None
    at = f"{timezone.localtime(row.next_attempt_at):%d.%m.%Y %H:%M}"
    note = last_note(personas, case)
    assert note.startswith(f"Обращение № {case.pk}: Ответ пока не опубликован"), note
    assert "ВКонтакте ограничил одинаковые действия" in note and at in note, note
    assert "опубликуйте ответ вручную и подтвердите ссылку" in note, note
    [event] = CaseEvent.objects.filter(case=case, action="api_publish_failed")
    assert at in event.reason
    client.force_login(personas.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ответ пока не опубликован" in page and f"следующая попытка — {at}" in page

    # the next failure is not told again: the executor knows, and the row keeps trying in the background
    told = Notification.objects.filter(recipient=personas.alice, case=case).count()
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send(row.pk, reschedule=False).state == Outbox.State.PENDING
    assert Notification.objects.filter(recipient=personas.alice, case=case).count() == told


def test_the_first_failed_attempt_is_told_to_whoever_does_the_absent_executors_work(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    case, row = vk_case(personas, vk_source)
    now = timezone.now()
    Absence.objects.create(
        person=personas.alice,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
        reason=Absence.Reason.VACATION,
        substitute=personas.bob,
    )
    fake_vk.fail("wall.createComment", code=9)

    send(row.pk, reschedule=False)

    note = Notification.objects.filter(recipient=personas.bob, case=case).order_by("-id").first()
    assert note is not None and "Ответ пока не опубликован" in note.text, note


def test_no_attempt_is_made_after_the_publication_is_due_the_executor_publishes_by_hand(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    case, row = vk_case(personas, vk_source)
    # five minutes of the term are left; VK's flood control asks to wait ten
    Deadline.objects.filter(case=case, stage=Deadline.Stage.PUBLISH).update(
        due_at=timezone.now() + timedelta(minutes=5)
    )
    fake_vk.fail("wall.createComment", times=2, code=9)

    row = send(row.pk, reschedule=False)

    assert row.state == Outbox.State.FAILED and row.next_attempt_at is None
    note = last_note(personas, case)
    assert "позже срока публикации" in note and "опубликуйте ответ вручную" in note, note
    assert fake_vk.published == []


def test_an_attempt_due_before_the_publication_deadline_is_still_made(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    case, row = vk_case(personas, vk_source)
    Deadline.objects.filter(case=case, stage=Deadline.Stage.PUBLISH).update(
        due_at=timezone.now() + timedelta(minutes=20)
    )
    fake_vk.fail("wall.createComment", code=9)  # ten minutes: before the due moment

    assert send(row.pk, reschedule=False).state == Outbox.State.PENDING
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send(row.pk, reschedule=False).state == Outbox.State.SENT
    assert [c["message"] for c in fake_vk.published] == [ANSWER]


def test_a_captcha_is_handed_to_the_executor_at_once(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    case, row = vk_case(personas, vk_source)
    fake_vk.fail("wall.createComment", times=5, code=14)

    row = send(row.pk, reschedule=False)

    assert (row.state, row.attempts) == (Outbox.State.FAILED, 1)
    note = last_note(personas, case)
    assert "капч" in note and "опубликуйте ответ вручную" in note, note


def test_an_answer_published_by_hand_while_the_row_waits_is_not_sent_again(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    case, row = vk_case(personas, vk_source)
    fake_vk.fail("wall.createComment", code=9)
    send(row.pk, reschedule=False)
    draft = case.drafts.get()
    with transaction.atomic():
        actions.confirm_publication(
            personas.alice, draft, url="https://vk.com/wall-200000001_101?reply=9001&thread=1001"
        )

    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert send(row.pk, reschedule=False).state == Outbox.State.MANUAL
    assert fake_vk.published == []
    assert Publication.objects.filter(case=case).count() == 1
