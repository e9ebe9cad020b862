"""A term past the production calendar met by the worker, not a view (R-8.7, R-8.8, R-12; working time).

What a person sees now: the packaged calendar ends with 2027 and 2028 is counted provisionally; the administrator has
not loaded 2028 by its end. Monday 25.12.2028 the worker publishes an approved interim answer (R-8.8) through VK's
API; the final answer's 7 working days would run into 2029, which nothing can count. The publication is recorded
and the case moves on; the final answer's deadline is opened due at the calendar's last working moment (Fri
29.12.2028 16:45) by `cases.sla.open_deadline`, the case's timeline says so and names the year to load, the
curator is told and the log has an ERROR. Before, `CalendarRangeError` escaped after the comment was in the network:
no Publication, the case stuck in «публикация», nobody told. Found by a review (session 18)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import fake_vk, vk_source  # noqa: F401 - fixtures

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Deadline, Notification, Publication
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source

pytestmark = pytest.mark.django_db(transaction=True)

INTERIM = "Павел, здравствуйте! Вопрос изучается, окончательный ответ дадим после праздников."


def test_an_interim_answer_published_by_the_worker_at_the_end_of_the_calendar_is_recorded_on_the_case(
    personas: Personas,
    vk_source: Source,  # noqa: F811
    fake_vk: FakeVK,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    p = personas
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1003")
    with transaction.atomic():
        case = actions.dispatch_case(
            p.curator, [message], [actions.Route(p.health, 1)], now=msk(2028, 12, 25, 9, 30)
        )
        draft = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2028, 12, 25, 10, 0))
        actions.approve_draft(p.curator, draft, now=msk(2028, 12, 25, 10, 30))
    row = Outbox.objects.get(case_id=case.pk)

    sent_at = msk(2028, 12, 25, 10, 31)
    monkeypatch.setattr(timezone, "now", lambda: sent_at)
    outcome: Any = None
    try:
        with caplog.at_level(logging.ERROR, logger="otklik.cases.sla"):
            outcome = send(row.pk)  # what the worker's send_outbox task does
    except Exception as exc:  # the task fails: shown below through what the case knows
        outcome = exc

    assert [m["message"] for m in fake_vk.published] == [INTERIM]  # it is in the network
    case.refresh_from_db()
    assert Publication.objects.filter(case=case).exists() and case.status != Case.Status.PUBLISHING, (
        f"the interim answer is published in VK, the outbox row is {Outbox.objects.get(pk=row.pk).state}, "
        f"but the case does not know it (status {case.status}); the worker ended with {outcome!r}"
    )
    assert outcome == Outbox.objects.get(pk=row.pk)  # the worker's task ends normally
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.due_at == msk(2028, 12, 29, 16, 45)  # the calendar's last working moment
    notes = [e.reason for e in CaseEvent.objects.filter(case=case, action="deadline_past_calendar")]
    assert len(notes) == 1 and "загрузить производственный календарь на 2028 год" in notes[0]
    assert Notification.objects.filter(
        case=case, recipient=p.curator, text__contains="выходит за пределы производственного календаря"
    ).exists()
    assert "runs past the production calendar" in caplog.text
