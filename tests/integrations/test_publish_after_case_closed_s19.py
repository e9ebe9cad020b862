"""R-8.7: the curator closes a case by decision (`actions.close_case`, e.g. «автор сам снял вопрос») while its
approved answer waits in the outbox for a retry (VK's flood control, code 9): the row is settled — not sent — and
the timeline and the executor's notice of the closing say that the answer did not go out; the closing is recorded
as the curator's («закрыто куратором»), not as «опубликовано». An answer whose request was already out when the
case was closed cannot be called back: when the network publishes it, its link is written on the closed case's
timeline and the curator who closed it is told. Before, the worker published the answer after the closing and
`cases.publishing.on_outbox_sent` only logged the refused `confirm_publication` at INFO.
Found by a review (session 19)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.db import connections, transaction
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Notification
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.base import Request, Response
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import ANSWER, approved_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_answer_waiting_for_a_retry_is_not_published_behind_the_curators_back_after_the_case_is_closed(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    row = Outbox.objects.get(case_id=case.pk)
    fake_vk.fail("wall.createComment", code=9)  # flood control: retried in 10 minutes
    assert send(row.pk, reschedule=False).state == Outbox.State.PENDING

    with transaction.atomic():
        actions.close_case(
            personas.curator, Case.objects.get(pk=case.pk), "Автор сам снял вопрос, ответ не нужен"
        )

    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # the backoff has passed
    row = send(row.pk, reschedule=False)

    published = [c for c in fake_vk.comments if c["text"] == ANSWER]
    recorded = CaseEvent.objects.filter(case=case, at__gte=row.created_at).exclude(reason="")
    recorded = [e for e in recorded if row.result_url and row.result_url in e.reason]
    assert not published, f"the answer went out after the case was closed ({row.state}, {row.result_url})"
    assert not recorded
    assert row.state == Outbox.State.MANUAL and "обращение закрыто куратором" in row.last_error, (
        row.last_error
    )


def test_closing_says_on_the_timeline_and_to_the_executor_that_the_answer_was_not_sent(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    fake_vk.fail("wall.createComment", code=9)
    send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    with transaction.atomic():
        actions.close_case(personas.curator, Case.objects.get(pk=case.pk), "Автор сам снял вопрос")

    closing = CaseEvent.objects.get(case=case, to_status=Case.Status.CLOSED)
    assert closing.action == "close_case"  # not «опубликовано»
    assert actions.closed_note(case) is not None
    [stopped] = CaseEvent.objects.filter(case=case, action="close_case", to_status="")
    assert (
        f"Согласованный ответ в сеть не отправлен — публикация отменена: под сообщением № {message.pk}"
        in (stopped.reason)
    )
    told = Notification.objects.filter(
        recipient=personas.alice, case=case, kind=Notification.Kind.CLOSED
    ).get()
    assert "Куратор закрыл обращение" in told.text and "в сеть не отправлен" in told.text, told.text


class HeldVK(FakeVK):
    """VK that keeps wall.createComment waiting until the test lets it go (a request on its way)."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.released = threading.Event()

    def handle(self, request: Request) -> Response:
        if request.path.endswith("/wall.createComment"):
            self.entered.set()
            self.released.wait(timeout=60)
        return super().handle(request)


@pytest.fixture
def held_vk() -> Iterator[HeldVK]:
    with HeldVK() as fake:
        yield fake
        fake.released.set()


def test_an_answer_already_on_its_way_when_the_case_is_closed_is_recorded_on_the_closed_case(
    personas: Personas, held_vk: HeldVK
) -> None:
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={
            "api_base": f"{held_vk.url}/method/",
            "token": held_vk.token,
            "group_id": 200000001,
            "per_second": 0,
        },
    )
    run_source(source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    row_pk = Outbox.objects.get(case_id=case.pk).pk
    sent: list[Outbox] = []

    def worker() -> None:
        try:
            sent.append(send(row_pk, reschedule=False))
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    assert held_vk.entered.wait(timeout=30)
    with transaction.atomic():  # the request is out: the row is «sending», its lease held
        actions.close_case(personas.curator, Case.objects.get(pk=case.pk), "Автор сам снял вопрос")
    on_its_way = CaseEvent.objects.get(case=case, action="close_case", to_status="")
    assert "уже отправлялся в сеть" in on_its_way.reason, on_its_way.reason
    held_vk.released.set()
    thread.join(timeout=60)

    [row] = sent
    assert row.state == Outbox.State.SENT and row.result_url
    recorded = CaseEvent.objects.get(case=case, reason__contains=row.result_url)
    assert "уже после того, как обращение было закрыто" in recorded.reason, recorded.reason
    curator_told = Notification.objects.filter(recipient=personas.curator, case=case).order_by("-id").first()
    assert curator_told is not None and row.result_url in curator_told.text, curator_told
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED
