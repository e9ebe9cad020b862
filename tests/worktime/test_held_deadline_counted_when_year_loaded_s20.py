"""A term held at the end of the production calendar is counted to its end once the next year is loaded (R-8.8,
working time). Monday 25.12.2028 the worker publishes an approved interim answer; the final answer's 7 working
days run into 2029, which no calendar covers, so its deadline is held at the calendar's last working moment (Fri
29.12.2028 16:45, `test_calendar_worker_s18b`). When the administrator then loads the 2028 calendar (2029 becomes
the provisional year), the deadline is counted in full — 7 working days from the publication, past the New Year
holidays — its reminders set again, and the case's timeline says so. It used to stay at 29.12 16:45: the recount
kept the shortened working time it had been given."""

from __future__ import annotations

import pytest
from django.db import transaction
from tests.cases.helpers import message
from tests.conftest import Personas, msk

from otklik.cases import actions
from otklik.cases.models import CaseEvent, Deadline, Publication
from otklik.cases.sla import hold_past_calendar
from otklik.worktime.calendar import statutory_year_data
from otklik.worktime.models import CalendarYear
from otklik.worktime.recount import move_open_deadlines
from otklik.worktime.service import working_calendar

pytestmark = pytest.mark.django_db

INTERIM = "Павел, здравствуйте! Вопрос изучается, окончательный ответ дадим после праздников."


def test_the_final_answers_term_held_at_the_calendars_end_is_counted_in_full_when_the_year_is_loaded(
    personas: Personas,
) -> None:
    p = personas
    with transaction.atomic():
        case = actions.dispatch_case(
            p.curator, [message()], [actions.Route(p.health, 1)], now=msk(2028, 12, 25, 9, 30)
        )
        draft = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2028, 12, 25, 10, 0))
        actions.approve_draft(p.curator, draft, now=msk(2028, 12, 25, 10, 30))
    with hold_past_calendar():  # as the worker records an API publication
        actions.confirm_publication(
            None,
            draft,
            url="https://vk.com/wall-1_1?reply=900",
            method=Publication.Method.API,
            now=msk(2028, 12, 25, 10, 31),
        )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.due_at == msk(2028, 12, 29, 16, 45) and final.held_length == 7
    assert final.next_reminder_at is None

    before = working_calendar()
    CalendarYear.objects.create(year=2028, data=statutory_year_data(2028), source="постановление")
    moved = move_open_deadlines(before, "добавлен 2028 год", now=msk(2028, 12, 26, 9, 0))

    final.refresh_from_db()
    assert moved >= 1
    # 26, 27, 28, 29 December, then 9, 10, 11 January 2029 (1–8 January are the New Year holidays)
    assert final.due_at.astimezone(msk(2029, 1, 1).tzinfo).date().isoformat() == "2029-01-11"
    assert final.held_length is None
    assert final.next_reminder_at is not None and final.next_reminder_at > msk(2028, 12, 26, 9, 0)
    said = CaseEvent.objects.filter(case=case, action="calendar_changed").values_list("reason", flat=True)
    assert any("посчитан полностью — 11.01.2029" in r and "29.12.2028 16:45" in r for r in said), list(said)
