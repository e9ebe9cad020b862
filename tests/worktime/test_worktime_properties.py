"""Property tests of the working-time engine against a brute-force minute-by-minute oracle.

Working time applies to every R- duration of the regulation (R-8.3, R-8.8, R-7.4 …).

The oracle is deliberately naive and independent of the engine: it walks local wall-clock minutes and asks,
for each minute, whether the calendar's day kind and the weekly schedule make it a working minute
(a shortened day loses its last 60 working minutes).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from otklik.worktime import (
    CalendarRangeError,
    DayKind,
    ProductionCalendar,
    WeeklySchedule,
    WorkTime,
    default_worktime,
)

MSK = ZoneInfo("Europe/Moscow")
WT = default_worktime()
CAL = WT.calendar
SCHED = WeeklySchedule.default()
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- the oracle
@cache
def working_minutes_of_day(schedule: WeeklySchedule, weekday: int, shortened: bool) -> frozenset[int]:
    minutes = sorted(m for start, end in schedule.week[weekday] for m in range(start, end))
    if shortened:
        minutes = minutes[:-60] if len(minutes) > 60 else []
    return frozenset(minutes)


def oracle_day_minutes(cal: ProductionCalendar, schedule: WeeklySchedule, day: dt.date) -> frozenset[int]:
    info = cal.day(day)
    if info.kind is DayKind.OFF:
        return frozenset()
    return working_minutes_of_day(schedule, info.hours_like, info.kind is DayKind.SHORTENED)


def oracle_between(cal: ProductionCalendar, schedule: WeeklySchedule, a: dt.datetime, b: dt.datetime) -> int:
    """Count working minutes [a, b) for minute-aligned local times."""
    count = 0
    t = a.replace(tzinfo=None)
    end = b.replace(tzinfo=None)
    while t < end:
        if t.hour * 60 + t.minute in oracle_day_minutes(cal, schedule, t.date()):
            count += 1
        t += dt.timedelta(minutes=1)
    return count


def oracle_add(
    cal: ProductionCalendar, schedule: WeeklySchedule, a: dt.datetime, minutes: int
) -> dt.datetime:
    """Walk minute by minute; the answer is the END of the minutes-th working minute (or a for 0)."""
    if minutes == 0:
        return a
    t = a.replace(tzinfo=None)
    left = minutes
    while True:
        day_minutes = oracle_day_minutes(cal, schedule, t.date())
        if not day_minutes:  # skip a whole non-working day at once
            t = dt.datetime.combine(t.date() + dt.timedelta(days=1), dt.time())
            continue
        if t.hour * 60 + t.minute in day_minutes:
            left -= 1
            if left == 0:
                return (t + dt.timedelta(minutes=1)).replace(tzinfo=a.tzinfo)
        t += dt.timedelta(minutes=1)


# --------------------------------------------------------------------------- strategies
INTERESTING_DAYS = [
    dt.date(2024, 12, 28),
    dt.date(2025, 11, 1),
    dt.date(2024, 11, 2),
    dt.date(2024, 4, 27),
    dt.date(2021, 2, 20),
    dt.date(2018, 4, 28),
    dt.date(2018, 12, 29),
    dt.date(2016, 2, 20),
    dt.date(2022, 3, 5),
    dt.date(2027, 2, 20),
    dt.date(2020, 3, 27),
    dt.date(2021, 10, 29),
    *[dt.date(y, 12, 30) for y in range(2013, 2027)],
    *[dt.date(y, 1, 8) for y in range(2014, 2028)],
    *[dt.date(y, 4, 30) for y in range(2013, 2028)],
    *[dt.date(y, 5, 8) for y in range(2013, 2028)],
    *[dt.date(y, 2, 22) for y in range(2013, 2028)],
    *[dt.date(y, 3, 7) for y in range(2013, 2028)],
    *[dt.date(y, 6, 11) for y in range(2013, 2028)],
    *[dt.date(y, 11, 3) for y in range(2013, 2028)],
    dt.date(2014, 10, 24),  # Moscow UTC+4 -> UTC+3 on 26.10.2014
]
INTERESTING_TIMES = [
    (0, 0),
    (8, 59),
    (9, 0),
    (9, 1),
    (12, 59),
    (13, 0),
    (13, 1),
    (13, 44),
    (13, 45),
    (15, 44),
    (15, 45),
    (16, 0),
    (16, 44),
    (16, 45),
    (16, 46),
    (16, 59),
    (17, 0),
    (17, 59),
    (18, 0),
    (23, 59),
]

days = st.one_of(
    st.builds(lambda d, k: d + dt.timedelta(days=k), st.sampled_from(INTERESTING_DAYS), st.integers(-3, 3)),
    st.dates(min_value=dt.date(2013, 1, 1), max_value=dt.date(2027, 11, 30)),
)
times = st.one_of(
    st.sampled_from(INTERESTING_TIMES),
    st.tuples(st.integers(0, 23), st.integers(0, 59)),
)
moments = st.builds(lambda d, hm: dt.datetime(d.year, d.month, d.day, hm[0], hm[1], tzinfo=MSK), days, times)
durations = st.one_of(
    st.sampled_from([0, 1, 15, 45, 60, 105, 240, 420, 435, 480, 495, 540, 990, 2400]),
    st.integers(0, 3000),
)


# --------------------------------------------------------------------------- properties
@PROPS
@given(moments, durations)
def test_add_matches_oracle(start: dt.datetime, minutes: int) -> None:
    assert WT.add(start, minutes) == oracle_add(CAL, SCHED, start, minutes)


@PROPS
@given(moments, st.integers(0, 20 * 1440))
def test_between_matches_oracle(start: dt.datetime, span: int) -> None:
    end = start + dt.timedelta(minutes=span)  # local wall minutes (same offset except around 26.10.2014)
    assume(end.utcoffset() == start.utcoffset())
    expected = oracle_between(CAL, SCHED, start, end)
    assert WT.between(start, end) == expected
    assert WT.between(end, start) == -expected


@PROPS
@given(moments, durations, st.integers(0, 59), st.integers(0, 999_999))
def test_between_of_add_is_identity(start: dt.datetime, minutes: int, sec: int, usec: int) -> None:
    start = start.replace(second=sec, microsecond=usec)
    assert WT.between(start, WT.add(start, minutes)) == minutes
    assert WT.working_time(start, WT.add(start, minutes)) == dt.timedelta(minutes=minutes)


@PROPS
@given(moments, moments, durations, durations)
def test_add_is_monotonic(a1: dt.datetime, a2: dt.datetime, m1: int, m2: int) -> None:
    a1, a2 = min(a1, a2), max(a1, a2)
    m1, m2 = min(m1, m2), max(m1, m2)
    assert WT.add(a1, m1) <= WT.add(a2, m1)
    assert WT.add(a1, m1) <= WT.add(a1, m2)
    assert WT.add(a1, m1) >= a1


@PROPS
@given(moments)
def test_is_working_and_next_working_moment_match_oracle(t: dt.datetime) -> None:
    working = t.hour * 60 + t.minute in oracle_day_minutes(CAL, SCHED, t.date())
    assert WT.is_working(t) == working
    nxt = WT.next_working_moment(t)
    assert (nxt == t) == working
    assert WT.is_working(nxt)
    assert WT.between(t, nxt) == 0
    assert WT.add(t, 1) == WT.add(nxt, 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(moments, durations), min_size=1, max_size=50))
def test_batch_equals_scalar(pairs: list[tuple[dt.datetime, int]]) -> None:
    starts = [p[0] for p in pairs]
    minutes = np.array([p[1] for p in pairs], dtype=np.int64)
    got = WT.add_many(starts, minutes)
    expected = [WT.add(s, int(m)) for s, m in pairs]
    assert list(got) == [np.datetime64(e.astimezone(dt.UTC).replace(tzinfo=None), "us") for e in expected]
    back = WT.between_many(starts, got)
    assert list(back) == list(minutes)


@PROPS
@given(moments, st.integers(1, 10))
def test_add_working_days_is_close_of_nth_working_day(start: dt.datetime, n: int) -> None:
    """R-8.8: oracle counts days with any working minute strictly after the start's local date."""
    day = start.date()
    seen = 0
    while seen < n:
        day += dt.timedelta(days=1)
        if oracle_day_minutes(CAL, SCHED, day):
            seen += 1
    close_minute = max(oracle_day_minutes(CAL, SCHED, day)) + 1
    expected = dt.datetime.combine(day, dt.time()).replace(tzinfo=MSK) + dt.timedelta(minutes=close_minute)
    assert WT.add_working_days(start, n) == expected


@PROPS
@given(moments, st.sampled_from([30, 60, 120]), st.integers(0, 2 * 495))
def test_schedule_checks(start: dt.datetime, every: int, span: int) -> None:
    """R-7.4: every check is `every` working minutes after the previous one."""
    checks = WT.schedule_checks(start, every, span)
    assert len(checks) == span // every
    previous = start
    for check in checks:
        assert WT.between(previous, check) == every
        previous = check


# --------------------------------------------------------------------------- random schedules
@st.composite
def schedules(draw: st.DrawFn) -> WeeklySchedule:
    week = []
    for _ in range(7):
        points = sorted(set(draw(st.lists(st.integers(0, 96), max_size=6)))) if draw(st.booleans()) else []
        if len(points) % 2:
            points = points[:-1]
        week.append(tuple((points[i] * 15, points[i + 1] * 15) for i in range(0, len(points), 2)))
    assume(any(week[:5]))  # ordinary weekends are off whatever the schedule says
    return WeeklySchedule(week=tuple(week), preholiday_cut_minutes=draw(st.sampled_from([0, 30, 60, 90])))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schedules(), st.lists(st.tuples(moments, st.integers(0, 1500)), min_size=1, max_size=4))
def test_random_schedules_match_oracle(
    schedule: WeeklySchedule, cases: list[tuple[dt.datetime, int]]
) -> None:
    wt = WorkTime(CAL, schedule)
    # the oracle cuts exactly 60 minutes; generalise it here by comparing only with the default cut
    calendar_end = dt.datetime(CAL.last_year, 12, 31, 23, 59, tzinfo=MSK)
    for start, minutes in cases:
        try:
            result = wt.add(start, minutes)
        except CalendarRangeError:
            # A sparse schedule can run past the last calendar year: that must be refused, never guessed.
            assert wt.between(start, calendar_end) < minutes
            continue
        assert wt.between(start, result) == minutes
        if schedule.preholiday_cut_minutes == 60:
            assert result == oracle_add(CAL, schedule, start, minutes)
