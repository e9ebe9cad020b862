"""Concrete examples of the working-time engine.

Working time applies to every R- duration of the regulation; R-8.3 (9 h / 4 h answers), R-8.8 (N working
days), R-7.4 (checks every 2 working hours over 2 working days).
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from otklik.worktime import (
    CalendarRangeError,
    DayKind,
    ProductionCalendar,
    ScheduleError,
    WeeklySchedule,
    WorkTime,
)

MSK = ZoneInfo("Europe/Moscow")


def msk(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MSK)


# --------------------------------------------------------------------------- add / between basics
def test_friday_end_of_day_is_reached_not_skipped(wt: WorkTime) -> None:
    """Time running out exactly at the end of a period ends there: Fri 16:00 + 45 min = Fri 16:45."""
    assert wt.add(msk(2025, 3, 14, 16, 0), 45) == msk(2025, 3, 14, 16, 45)


def test_friday_close_plus_one_minute(wt: WorkTime) -> None:
    """Fri 16:45 + 1 min → next working day (Mon) 09:01."""
    assert wt.add(msk(2025, 3, 14, 16, 45), 1) == msk(2025, 3, 17, 9, 1)


def test_working_saturday_over_new_year(wt: WorkTime) -> None:
    """R-8.3 (9 h = 540 min) from Sat 2024-12-28 17:00, a working Saturday (t=3, with Monday's hours because
    Mon 2024-12-30 is the day off moved from it):
    Sat 17:00–18:00 = 60 min; 29.12 Sun, 30.12 (moved day off), 31.12 (moved from 07.01), 01–08.01.2025
    holidays; Thu 09.01: 09:00–13:00 = 240 (total 300), lunch, 13:45 + 240 = 17:45 → 2025-01-09 17:45."""
    deadline = wt.add(msk(2024, 12, 28, 17, 0), 540)
    assert deadline == msk(2025, 1, 9, 17, 45)
    assert deadline.isoformat() == "2025-01-09T17:45:00+03:00"
    assert wt.between(msk(2024, 12, 28, 17, 0), deadline) == 540


def test_lunch_is_skipped(wt: WorkTime) -> None:
    """12:30 + 60 min: 30 min before lunch, lunch 13:00–13:45 skipped, 30 min after → 14:15."""
    assert wt.add(msk(2025, 3, 10, 12, 30), 60) == msk(2025, 3, 10, 14, 15)
    assert wt.between(msk(2025, 3, 10, 12, 0), msk(2025, 3, 10, 14, 0)) == 60 + 15
    assert not wt.is_working(msk(2025, 3, 10, 13, 0))
    assert wt.is_working(msk(2025, 3, 10, 13, 45))


def test_preholiday_day_ends_an_hour_early(wt: WorkTime) -> None:
    """Fri 2025-03-07 (t=2, before 8 March) ends 15:45 instead of 16:45; Wed 2025-04-30 ends 17:00."""
    assert wt.is_working(msk(2025, 3, 7, 15, 44))
    assert not wt.is_working(msk(2025, 3, 7, 15, 45))
    assert wt.add(msk(2025, 3, 7, 15, 0), 45) == msk(2025, 3, 7, 15, 45)
    assert wt.add(msk(2025, 4, 30, 16, 0), 60) == msk(2025, 4, 30, 17, 0)
    assert wt.add(msk(2025, 4, 30, 16, 0), 61) == msk(2025, 5, 5, 9, 1)


def test_r_8_3_nine_and_four_hours_over_preholiday_friday(wt: WorkTime) -> None:
    """R-8.3: received Fri 2025-03-07 14:00 (shortened to 15:45): 105 min that day, 8–9 March off.
    9 h: Mon 10.03 09:00–13:00 (345), 13:45 + 195 → 17:00.  4 h: Mon 09:00 + 135 → 11:15."""
    start = msk(2025, 3, 7, 14, 0)
    assert wt.add(start, 9 * 60) == msk(2025, 3, 10, 17, 0)
    assert wt.add(start, 4 * 60) == msk(2025, 3, 10, 11, 15)


def test_working_shortened_saturday_2025_11_01(wt: WorkTime, calendar: ProductionCalendar) -> None:
    """Sat 2025-11-01 is t=2 in ru_2025.xml: a working, shortened day with Monday's hours (Mon 03.11 is
    the day off moved from it), i.e. 09:00–17:00 with lunch."""
    info = calendar.day(dt.date(2025, 11, 1))
    assert info.kind is DayKind.SHORTENED and info.hours_like == 0
    assert wt.add(msk(2025, 11, 1, 0, 0), 1) == msk(2025, 11, 1, 9, 1)
    assert wt.between(msk(2025, 11, 1, 0, 0), msk(2025, 11, 2, 0, 0)) == 240 + 195
    # then 02.11 Sun, 03.11 moved day off, 04.11 holiday → Wed 05.11
    assert wt.add(msk(2025, 11, 1, 16, 30), 31) == msk(2025, 11, 5, 9, 1)


def test_working_saturday_hours_follow_the_moved_weekday() -> None:
    """Sat 2024-11-02 (t=2) gave its day off to Tue 2024-04-30 → it keeps Tuesday's hours minus 1 h."""
    sched = WeeklySchedule.from_intervals(
        {"mon": [("09:00", "18:00")], "tue": [("10:00", "15:00")], "fri": [("09:00", "16:45")]}
    )
    wt = WorkTime(ProductionCalendar.from_package(), sched)
    assert wt.next_working_moment(msk(2024, 11, 2, 0, 0)) == msk(2024, 11, 2, 10, 0)
    assert wt.between(msk(2024, 11, 2, 0, 0), msk(2024, 11, 3, 0, 0)) == 4 * 60
    # 2024-04-27 (t=3) gave its day off to Mon 29.04 → Monday's hours
    assert wt.between(msk(2024, 4, 27, 0, 0), msk(2024, 4, 28, 0, 0)) == 9 * 60


def test_zero_minutes_returns_start_unchanged(wt: WorkTime) -> None:
    """add(a, 0) == a even outside working hours (keeps between(a, add(a, m)) == m and monotonicity)."""
    sunday = msk(2025, 3, 16, 12, 0)
    assert wt.add(sunday, 0) == sunday
    assert wt.next_working_moment(sunday) == msk(2025, 3, 17, 9, 0)
    assert wt.add(sunday, 1) == msk(2025, 3, 17, 9, 1)


def test_between_rules(wt: WorkTime) -> None:
    a, b = msk(2025, 3, 10, 9, 0), msk(2025, 3, 10, 10, 0, 30)
    assert wt.between(a, b) == 60  # truncated
    assert wt.working_time(a, b) == dt.timedelta(minutes=60, seconds=30)
    assert wt.between(b, a) == -60  # antisymmetric
    assert wt.working_time(b, a) == -dt.timedelta(minutes=60, seconds=30)
    assert wt.between(a, a) == 0


def test_second_precision_start(wt: WorkTime) -> None:
    start = msk(2025, 3, 14, 16, 44, 30)
    assert wt.add(start, 1) == msk(2025, 3, 17, 9, 0, 30)
    assert wt.add_duration(start, dt.timedelta(seconds=30)) == msk(2025, 3, 14, 16, 45)


def test_results_in_schedule_zone(wt: WorkTime) -> None:
    start = dt.datetime(2025, 3, 10, 6, 0, tzinfo=dt.UTC)  # 09:00 MSK
    result = wt.add(start, 60)
    assert result == msk(2025, 3, 10, 10, 0)
    assert result.utcoffset() == dt.timedelta(hours=3)


def test_moscow_offset_change_2014(wt: WorkTime) -> None:
    """Moscow was UTC+4 until 2014-10-26; the engine works in local wall time via zoneinfo."""
    result = wt.add(msk(2014, 10, 24, 16, 0), 60)
    assert result == msk(2014, 10, 27, 9, 15)
    assert result.utcoffset() == dt.timedelta(hours=3)
    assert msk(2014, 10, 24, 16, 0).utcoffset() == dt.timedelta(hours=4)


def test_naive_datetimes_are_refused(wt: WorkTime) -> None:
    naive = dt.datetime(2025, 3, 10, 9, 0)
    for call in (
        lambda: wt.add(naive, 5),
        lambda: wt.between(naive, msk(2025, 3, 10, 10, 0)),
        lambda: wt.is_working(naive),
        lambda: wt.next_working_moment(naive),
        lambda: wt.add_working_days(naive, 1),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_bad_arguments(wt: WorkTime) -> None:
    with pytest.raises(ValueError):
        wt.add(msk(2025, 3, 10, 9, 0), -1)
    with pytest.raises(TypeError):
        wt.add(msk(2025, 3, 10, 9, 0), 1.5)  # type: ignore[arg-type]
    with pytest.raises(CalendarRangeError):
        wt.add(msk(2030, 1, 1, 9, 0), 1)
    with pytest.raises(CalendarRangeError):
        wt.add(msk(2027, 12, 30, 9, 0), 100 * 60)


# --------------------------------------------------------------------------- working days, checks, explain
def test_r_8_8_seven_working_days_over_new_year(wt: WorkTime) -> None:
    """R-8.8: "within 7 working days" from Fri 2025-12-26 15:00 ends at the close of the 7th working day
    after the start day: 29.12 (1), 30.12 (2); 31.12 (moved day off) and 01–09.01.2026 off; 12.01 (3),
    13.01 (4), 14.01 (5), 15.01 (6), Fri 16.01 (7) → 2026-01-16 16:45."""
    assert wt.add_working_days(msk(2025, 12, 26, 15, 0), 7) == msk(2026, 1, 16, 16, 45)
    # the start day is never counted, even at 08:00 on a working day
    assert wt.add_working_days(msk(2025, 12, 29, 8, 0), 1) == msk(2025, 12, 30, 18, 0)
    # from a holiday: the first working day after it
    assert wt.add_working_days(msk(2026, 1, 3, 12, 0), 1) == msk(2026, 1, 12, 18, 0)
    # a shortened day closes an hour early
    assert wt.add_working_days(msk(2025, 3, 6, 12, 0), 1) == msk(2025, 3, 7, 15, 45)


def test_r_7_4_checks_every_two_working_hours(wt: WorkTime) -> None:
    """R-7.4: every 2 working hours over 2 working days (2 × 8 h 15 min of Mon/Tue)."""
    start = msk(2025, 3, 10, 9, 0)
    checks = wt.schedule_checks(start, 120, 2 * 495)
    assert len(checks) == 8
    assert checks[:4] == [
        msk(2025, 3, 10, 11, 0),
        msk(2025, 3, 10, 13, 0),  # exactly at the start of lunch: the 2 hours are over then
        msk(2025, 3, 10, 15, 45),
        msk(2025, 3, 10, 17, 45),
    ]
    assert checks[4] == msk(2025, 3, 11, 10, 45)
    assert all(wt.between(start, c) == 120 * (k + 1) for k, c in enumerate(checks))
    with pytest.raises(ValueError):
        wt.schedule_checks(start, 0, 100)


def test_explain_lists_counted_intervals(wt: WorkTime) -> None:
    start, end = msk(2024, 12, 28, 17, 0), msk(2025, 1, 9, 17, 45)
    pieces = wt.explain(start, end)
    assert [(p.start, p.end) for p in pieces] == [
        (msk(2024, 12, 28, 17, 0), msk(2024, 12, 28, 18, 0)),
        (msk(2025, 1, 9, 9, 0), msk(2025, 1, 9, 13, 0)),
        (msk(2025, 1, 9, 13, 45), msk(2025, 1, 9, 17, 45)),
    ]
    assert sum(p.minutes for p in pieces) == 540
    text = wt.explain_ru(start, end)
    assert "Итого: 9 ч 00 мин" in text
    assert "Новогодние каникулы" in text
    assert "перенесённый выходной" in text
    assert "рабочая суббота" in text


def test_describe_day(wt: WorkTime) -> None:
    assert "Рождество" in wt.describe_day(dt.date(2025, 1, 7))
    assert "09:00–13:00, 13:45–17:00" in wt.describe_day(dt.date(2025, 11, 1))


# --------------------------------------------------------------------------- batch path
def test_batch_matches_scalar(wt: WorkTime) -> None:
    starts = [msk(2024, 12, 28, 17, 0), msk(2025, 3, 14, 16, 45), msk(2025, 3, 16, 12, 0)]
    minutes = np.array([540, 1, 0])
    got = wt.add_many(starts, minutes)
    expected = [wt.add(s, int(m)) for s, m in zip(starts, minutes, strict=True)]
    assert [np.datetime64(e.astimezone(dt.UTC).replace(tzinfo=None), "us") for e in expected] == list(got)
    as_np = np.array([s.astimezone(dt.UTC).replace(tzinfo=None) for s in starts], dtype="datetime64[us]")
    assert (wt.add_many(as_np, minutes) == got).all()
    assert list(wt.between_many(as_np, got)) == [540, 1, 0]
    assert list(wt.between_many(got, as_np)) == [-540, -1, 0]
    with pytest.raises(ValueError):
        wt.add_many(starts, np.array([1, -1, 0]))
    with pytest.raises(ValueError, match="naive"):
        wt.add_many([dt.datetime(2025, 1, 1)], np.array([1]))


# --------------------------------------------------------------------------- schedules
def test_schedule_roundtrip_json(schedule: WeeklySchedule) -> None:
    data = json.loads(json.dumps(schedule.to_dict()))
    assert WeeklySchedule.from_dict(data) == schedule
    assert data["week"]["fri"] == [["09:00", "13:00"], ["13:45", "16:45"]]
    assert data["timezone"] == "Europe/Moscow"


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ({"mon": [["09:00", "13:00"], ["12:00", "18:00"]]}, "пересекаются"),
        ({"mon": [["18:00", "09:00"]]}, "конец не позже начала"),
        ({"mon": [["09:00", "09:00"]]}, "конец не позже начала"),
        ({"mon": [["9:00", "18:00"]]}, "ЧЧ:ММ"),
        ({"mon": [["09:00", "25:00"]]}, "недопустимое"),
        ({"mon": [["09:00"]]}, "пар"),
        ({"xyz": [["09:00", "18:00"]]}, "неизвестные дни"),
        ({}, "нет ни одного"),
    ],
)
def test_schedule_validation(week: dict[str, object], message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        WeeklySchedule.from_dict({"timezone": "Europe/Moscow", "week": week})


def test_schedule_bad_zone() -> None:
    with pytest.raises(ScheduleError, match="часовой пояс"):
        WeeklySchedule.from_dict({"timezone": "Mars/Olympus", "week": {"mon": [["09:00", "18:00"]]}})


def test_shortening_cuts_across_the_last_interval() -> None:
    sched = WeeklySchedule.from_intervals({"mon": [("09:00", "13:00"), ("13:45", "14:15")]})
    assert sched.day_intervals(0, shortened=True) == ((540, 750),)  # 30 min of the last + 30 min before
    assert sched.day_intervals(0) == ((540, 780), (825, 855))


def test_other_time_zone_schedule() -> None:
    sched = WeeklySchedule.from_intervals(
        {d: [("09:00", "18:00")] for d in range(5)}, timezone="Asia/Yekaterinburg"
    )
    wt = WorkTime(ProductionCalendar.from_package(), sched)
    result = wt.add(msk(2025, 3, 10, 7, 0), 60)  # 09:00 in Yekaterinburg (UTC+5)
    assert result.isoformat() == "2025-03-10T10:00:00+05:00"


def test_a_transferred_working_saturday_says_whose_hours_it_takes_in_russian(wt: WorkTime) -> None:
    """Saturday 02.11.2024 is worked with a Tuesday's hours (the production calendar's transfer): «часы как во
    вторник», as Russian says it (it read «как в вторник»); 27.04.2024 takes a Monday's: «как в понедельник»."""
    assert wt.describe_day(dt.date(2024, 11, 2)).endswith("рабочая суббота по переносу, часы как во вторник)")
    assert wt.describe_day(dt.date(2024, 4, 27)).endswith(
        "рабочая суббота по переносу, часы как в понедельник)"
    )
