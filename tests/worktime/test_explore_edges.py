"""Exploratory checks of the working-time engine on the dates a government office meets: night, Friday
evening, Saturday, holidays, shortened pre-holiday days, New Year, a transferred working Saturday, a server in
UTC, Moscow's UTC+4 years, and the provisional statutory year used when the next year is not loaded.

Every expected value was counted by hand from the production calendar and the default schedule
(Mon–Thu 09:00–13:00 + 13:45–18:00 = 495 min, Fri 09:00–13:00 + 13:45–16:45 = 420 min, a shortened day loses
its last hour)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from otklik.worktime import CalendarRangeError, DayKind, ProductionCalendar, WorkTime
from otklik.worktime.calendar import statutory_year_data

MSK = ZoneInfo("Europe/Moscow")
UTC = dt.UTC


def msk(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MSK)  # type: ignore[misc]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "minutes", "due", "how"),
    [
        # 9 h: a message dispatched at 03:00 on Monday 28.04.2025 starts at 09:00: Monday gives 495,
        # the remaining 45 end on Tuesday at 09:45.
        (msk(2025, 4, 28, 3, 0), 540, msk(2025, 4, 29, 9, 45), "night"),
        # Friday 18:30 (after 16:45): Saturday, Sunday off; Monday 495, Tuesday 45 → 09:45.
        (msk(2025, 4, 25, 18, 30), 540, msk(2025, 4, 29, 9, 45), "Friday evening"),
        # Saturday 26.04.2025 10:00: the same as from Monday 09:00.
        (msk(2025, 4, 26, 10, 0), 540, msk(2025, 4, 29, 9, 45), "Saturday"),
        # Shortened Friday 07.03.2025 (ends 15:45) at 02:00: 240 + 120 = 360 that day; 08.03 holiday,
        # 09.03 Sunday; Monday 10.03 09:00 + 180 (13:00 is lunch, so 12:00) → 12:00.
        (msk(2025, 3, 7, 2, 0), 540, msk(2025, 3, 10, 12, 0), "shortened pre-holiday day"),
        # 4 h from the shortened Friday at 15:00: 45 min that day, 195 on Monday → 12:15.
        (msk(2025, 3, 7, 15, 0), 240, msk(2025, 3, 10, 12, 15), "high importance before a holiday"),
        # Tuesday 31.12.2025 is a transferred day off; 01–11.01.2026 are off (09.01 moved from 03.01);
        # Monday 12.01.2026 gives 495 → Tuesday 13.01 09:45.
        (msk(2025, 12, 31, 10, 0), 540, msk(2026, 1, 13, 9, 45), "last day of 2025"),
        # Friday 31.10.2025 16:00: 45 min; Saturday 01.11.2025 is a working, shortened day with Monday's
        # hours, 09:00–17:00 minus lunch = 435 → 480; 02–04.11 off; Wednesday 05.11 09:00 + 60 → 10:00.
        (msk(2025, 10, 31, 16, 0), 540, msk(2025, 11, 5, 10, 0), "transferred working Saturday"),
        # The same instant given by a server in UTC (13:00Z = 16:00 MSK) gives the same due time.
        (utc(2025, 10, 31, 13, 0), 540, msk(2025, 11, 5, 10, 0), "server in UTC"),
        # Moscow was UTC+4 until 26.10.2014: 05:00Z on Monday 03.03.2014 is 09:00 local → 10:00 local.
        (utc(2014, 3, 3, 5, 0), 60, dt.datetime(2014, 3, 3, 10, 0, tzinfo=MSK), "UTC+4 year"),
        # Across the 26.10.2014 change: Friday 24.10 16:00 (+04) 45 min, Monday 27.10 (+03) 495 → 18:00.
        (msk(2014, 10, 24, 16, 0), 540, msk(2014, 10, 27, 18, 0), "zone change"),
    ],
)
def test_due_time_matches_the_hand_count(
    wt: WorkTime, start: dt.datetime, minutes: int, due: dt.datetime, how: str
) -> None:
    """R-8.3/R-8.4: working-hour limits over the edges of the calendar (see each case's comment)."""
    got = wt.add(start, minutes)
    assert got == due, how
    assert got.utcoffset() == due.utcoffset()  # shown in Moscow time whatever the input zone
    assert wt.between(start, got) == minutes


def test_a_utc_evening_is_the_next_moscow_day_for_working_days(wt: WorkTime) -> None:
    """R-8.8: 21:30Z on Sunday 27.04.2025 is 00:30 on Monday in Moscow: Monday is the day of the interim
    answer and is not counted; the first working day after it is Tuesday 29.04 (close 18:00)."""
    assert wt.add_working_days(utc(2025, 4, 27, 21, 30), 1) == msk(2025, 4, 29, 18, 0)
    assert wt.add_working_days(utc(2025, 4, 27, 20, 30), 1) == msk(2025, 4, 28, 18, 0)


def test_seven_working_days_over_new_year(wt: WorkTime) -> None:
    """R-8.8 from Monday 29.12.2025: 30.12 (1); 31.12 and 01–11.01 off; 12–16.01 (2–6); 19.01 (7) closes
    at 18:00."""
    assert wt.add_working_days(msk(2025, 12, 29, 11, 0), 7) == msk(2026, 1, 19, 18, 0)


def test_past_the_last_loaded_year_the_engine_refuses_instead_of_guessing(wt: WorkTime) -> None:
    """Thursday 30.12.2027 10:00 + 9 h: 435 min that day, 31.12.2027 is off, 2028 is not in the package: the
    engine raises a Russian CalendarRangeError rather than counting the New Year holidays as working."""
    with pytest.raises(CalendarRangeError, match="добавьте следующий год"):
        wt.add(msk(2027, 12, 30, 10, 0), 540)
    assert wt.add(msk(2027, 12, 30, 10, 0), 435) == msk(2027, 12, 30, 18, 0)


def test_statutory_year_reproduces_the_government_calendar_except_its_own_transfers(
    calendar: ProductionCalendar,
) -> None:
    """The provisional year (Labour Code art. 112, 95) for 2026 gives the Government's 2026 calendar except
    the two January weekend days the Government moved itself (to 09.01 and 31.12)."""
    data = statutory_year_data(2026)
    provisional = ProductionCalendar.from_package(
        extra_years={2026: data}, provisional_years=frozenset({2026})
    )
    assert provisional.provisional_years == {2026}
    differ = [
        day
        for day in (dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(365))
        if provisional.day(day).kind is not calendar.day(day).kind
    ]
    assert differ == [dt.date(2026, 1, 9), dt.date(2026, 12, 31)]
    # 08.03.2026 is a Sunday: the day off moves to Monday 09.03 (art. 112 part 2)
    assert provisional.day(dt.date(2026, 3, 9)).kind is DayKind.OFF
    assert "предварительно" in provisional.day(dt.date(2026, 3, 9)).note


def test_statutory_year_2028_by_hand() -> None:
    """2028 by the Labour Code: 01.01 is a Saturday, 01–08.01 off (January weekend days are not moved
    automatically); 04.11 is a Saturday → Monday 06.11 off; working days right before a holiday are shortened:
    Tue 22.02, Tue 07.03, Mon 08.05, Fri 03.11 (01.05 and 12.06 are Mondays, the day before is a Sunday)."""
    data = statutory_year_data(2028)
    off = sorted(data["off"])
    assert off == [
        *(f"01-0{d}" for d in range(1, 9)),
        "02-23",
        "03-08",
        "05-01",
        "05-09",
        "06-12",
        "11-04",
        "11-06",
    ]
    assert data["shortened"] == ["02-22", "03-07", "05-08", "11-03"]
