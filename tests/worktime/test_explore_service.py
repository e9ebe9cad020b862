"""Exploratory checks of the calendar as administrators keep it in the database: a stored correction must never
take the application's deadlines down, and years are added one after another."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import msk

from otklik.worktime.models import CalendarOverride, CalendarYear
from otklik.worktime.service import current_calendar, worktime_for

pytestmark = pytest.mark.django_db

YEAR_2028 = {
    "off": {
        **{f"01-0{d}": "Новогодние каникулы" for d in range(1, 9)},
        "02-23": "День защитника Отечества",
        "03-08": "Международный женский день",
        "05-01": "Праздник Весны и Труда",
        "05-09": "День Победы",
        "06-12": "День России",
        "11-04": "День народного единства",
    },
    "shortened": [],
    "working_weekend": {},
}


def test_next_year_can_be_added_after_an_added_year() -> None:
    """An administrator who added 2028 must be able to add 2029 (validated with the stored 2028)."""
    CalendarYear.objects.create(year=2028, data=YEAR_2028, source="постановление")
    CalendarYear.objects.create(year=2029, data={"off": {"01-01": "Новый год"}}, source="постановление")
    assert current_calendar().last_year == 2029
    # a year after a gap is still refused, in Russian
    with pytest.raises(ValidationError, match="подряд"):
        CalendarYear.objects.create(year=2031, data={"off": {}})


def test_a_day_correction_in_a_year_not_loaded_is_refused_and_never_breaks_deadlines() -> None:
    """A regional day off entered for 10.01.2028 before the 2028 calendar: the form says to add the year
    first; a row stored past the form (shell, old data) is left out and deadlines keep working.
    Wednesday 12.03.2025 17:00 + 120 min: 60 min that day, 60 on Thursday → 10:00."""
    bad = CalendarOverride(date=date(2028, 1, 10), kind="off", note="региональный выходной")
    with pytest.raises(ValidationError, match="добавьте производственный календарь на 2028 год"):
        bad.full_clean()
    bad.save()
    assert worktime_for().add(msk(2025, 3, 12, 17, 0), 120) == msk(2025, 3, 13, 10, 0)
    assert current_calendar().last_year == 2027
    # once 2028 is loaded the stored correction applies
    CalendarYear.objects.create(year=2028, data=YEAR_2028, source="постановление")
    assert not current_calendar().day(date(2028, 1, 10)).is_working
    CalendarOverride(date=date(2028, 1, 11), kind="off").full_clean()


def test_a_gap_left_by_a_deleted_year_never_breaks_deadlines() -> None:
    """2028 and 2029 are stored, then 2028 is deleted: 2029 is left out (logged), deadlines keep working."""
    CalendarYear.objects.create(year=2028, data=YEAR_2028)
    CalendarYear.objects.create(year=2029, data={"off": {"01-01": "Новый год"}})
    CalendarYear.objects.filter(year=2028).delete()
    assert current_calendar().last_year == 2027
    assert worktime_for().add(msk(2025, 3, 12, 17, 0), 120) == msk(2025, 3, 13, 10, 0)


def test_deadlines_over_new_year_use_the_provisional_statutory_year_and_say_so() -> None:
    """Thursday 30.12.2027 10:00 + 9 h, 2028 not loaded: 435 min on 30.12; 31.12.2027 is off; 01–08.01.2028
    are the Labour Code's holidays, 09.01 is a Sunday; Monday 10.01.2028 09:00 + 105 → 10:45. The days say
    they are provisional; the `otklik worktime` view of the loaded calendar still ends in 2027."""
    wt = worktime_for()
    assert wt.add(msk(2027, 12, 30, 10, 0), 540) == msk(2028, 1, 10, 10, 45)
    assert wt.calendar.provisional_years == {2028}
    assert "предварительно" in wt.calendar.day(date(2028, 1, 3)).note
    assert current_calendar().last_year == 2027
    CalendarYear.objects.create(
        year=2028, data={**YEAR_2028, "off": {**YEAR_2028["off"], "01-10": "перенос"}}
    )
    wt = worktime_for()
    assert wt.calendar.provisional_years == {2029}
    assert wt.add(msk(2027, 12, 30, 10, 0), 540) == msk(2028, 1, 11, 10, 45)
