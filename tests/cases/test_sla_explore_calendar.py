"""Exploratory checks of clause 8 deadlines on the edges of the calendar and of the sweep: a message
dispatched on the last working day of the last loaded year, a sweep that runs at the due moment itself,
a durations table with a zero. Every due time below was counted by hand from the production calendar and the
default schedule (Mon–Thu 09:00–13:00 + 13:45–18:00, Fri until 16:45)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from otklik.cases import actions, sla
from otklik.cases.models import CaseEvent, Policy
from otklik.cases.views import remaining_text
from tests.cases.helpers import deadline, dispatch, violations
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт участка улицы Соборной в Гатчине запланирован на июнь."


def test_dispatch_on_the_last_working_day_before_an_unloaded_year(personas: Personas) -> None:
    """R-8.3/R-8.4 on Thursday 30.12.2027 10:00, the 2028 calendar not loaded. Draft (5 h): 10:00–13:00 is
    180 min, 13:45 + 120 → 15:45 the same day. Overall (9 h): 435 min on 30.12; 31.12.2027 is a transferred day
    off; 01–08.01.2028 are the Labour Code's holidays, 09.01 a Sunday; Monday 10.01.2028 09:00 + 105 → 10:45.
    The dispatch goes through (it used to fail with an error) and the case's timeline says the overall due
    time is provisional and why."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2027, 12, 30, 10, 0))
    assert deadline(case, "reject_window").due_at == msk(2027, 12, 30, 11, 0)
    assert deadline(case, "draft").due_at == msk(2027, 12, 30, 15, 45)
    overall = deadline(case, "overall")
    assert overall.due_at == msk(2028, 1, 10, 10, 45)
    assert overall.working_minutes == 540
    # first reminder at 50 % = 270 min: 180 before lunch, 90 after 13:45 → 15:15
    assert overall.next_reminder_at == msk(2027, 12, 30, 15, 15)
    notes = list(CaseEvent.objects.filter(case=case, action="provisional_deadline"))
    assert len(notes) == 1  # only the overall deadline reaches into 2028
    assert "10.01.2028 10:45" in notes[0].reason and "на 2028 год не загружен" in notes[0].reason
    assert notes[0].label == "срок по предварительному календарю"
    # after New Year the case pages still count what is left
    assert remaining_text(overall, msk(2028, 1, 10, 10, 0)) == (45, "осталось 45 мин")


def test_a_sweep_at_the_due_moment_is_not_a_breach_of_work_done_at_that_moment(personas: Personas) -> None:
    """R-8.4/R-12: dispatched Monday 28.04.2025 09:00, the draft is due 14:45 (240 before lunch, 60 after).
    A sweep that runs at 14:45:00 sharp records nothing; the draft sent at 14:45 is in time."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    assert deadline(case, "draft").due_at == msk(2025, 4, 28, 14, 45)
    assert sla.sweep(now=msk(2025, 4, 28, 14, 45)).breached == 0
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 14, 45))
    assert violations(case) == []
    # one minute later than due is a breach, as before
    late = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    assert sla.sweep(now=msk(2025, 4, 28, 14, 46)).breached == 1
    assert violations(late) == [("R-8.4", "alice", "Здравоохранение")]


def test_a_zero_term_is_refused_and_a_stored_zero_falls_back_to_the_regulation(personas: Personas) -> None:
    """R-8.8 as a policy value: "0 working days" is refused by the form in Russian; a zero stored past the form
    does not break publishing the interim answer. Interim published Tuesday 29.04.2025; seven working days
    (30.04, 05–07.05, 12–14.05; 01–04 and 08–11 May off) end 14.05 at 18:00."""
    p = personas
    row = Policy.objects.get(key="final_after_interim")
    row.value = 0
    with pytest.raises(ValidationError, match="не меньше 1"):
        row.full_clean()
    row.save()
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 29, 9, 0))
    interim = actions.submit_draft(p.alice, case, "interim", ANSWER, now=msk(2025, 4, 29, 10, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 29, 10, 30))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=7", now=msk(2025, 4, 29, 11, 0)
    )
    assert deadline(case, "final").due_at == msk(2025, 5, 14, 18, 0)


def test_more_than_a_working_day_left_is_also_said_in_working_days(personas: Personas) -> None:
    """A walk: the case page read «осталось 63 ч 36 мин» where «Мои обращения» read «≈ 8 раб. дн.» for the same
    deadline of R-8.8; both say the working days now. A day or less stays in hours and minutes."""
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    overall = deadline(case, "overall")  # due Tuesday 29.04 10:45
    assert remaining_text(overall, msk(2025, 4, 28, 10, 0)) == (540, "осталось 9 ч 00 мин (≈ 1 раб. дн.)")
    assert remaining_text(overall, msk(2025, 4, 28, 11, 0)) == (480, "осталось 8 ч 00 мин")
