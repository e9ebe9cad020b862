"""R-8.8 «within 7 working days»: `WorkTime.working_days_between` is the inverse of `add_working_days`, in the
body's own working days — what a calendar change recounts a final answer's term by (`worktime.recount._move`), so a
body that works Monday to Thursday keeps its term where it was (found by a review, session 25: the recount counted
the calendar's working days, Fridays included, and moved such a term by a weekend)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from otklik.worktime import ProductionCalendar, WeeklySchedule, WorkTime

MSK = ZoneInfo("Europe/Moscow")
MON_TO_THU = {
    "week": {d: [["09:00", "13:00"], ["13:45", "18:00"]] for d in ("mon", "tue", "wed", "thu")},
}


@pytest.mark.parametrize("hours", ["standard", "mon-thu"])
def test_working_days_between_undoes_add_working_days(calendar: ProductionCalendar, hours: str) -> None:
    schedule = WeeklySchedule.default() if hours == "standard" else WeeklySchedule.from_dict(MON_TO_THU)
    engine = WorkTime(calendar, schedule)
    # around the May and New Year holidays of 2025 and an ordinary autumn week, at any hour of the day
    starts = [
        dt.datetime(2025, 4, 28, 11, 30, tzinfo=MSK),
        dt.datetime(2025, 5, 8, 17, 59, tzinfo=MSK),
        dt.datetime(2025, 10, 10, 20, 0, tzinfo=MSK),
        dt.datetime(2025, 12, 26, 9, 0, tzinfo=MSK),
    ]
    for start in starts:
        for n in range(1, 11):
            due = engine.add_working_days(start, n)
            assert engine.working_days_between(start, due) == n, (hours, start, n, due)
    # Monday 08.11.2027 + 7 of the body's days is Thursday 18.11.2027 18:00 — not the calendar's 7 (Fridays too)
    start = dt.datetime(2027, 11, 8, 11, 50, tzinfo=MSK)
    if hours == "mon-thu":
        assert engine.add_working_days(start, 7) == dt.datetime(2027, 11, 18, 18, 0, tzinfo=MSK)
