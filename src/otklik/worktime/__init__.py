"""Working-time engine (рабочее время): production calendar of the Russian Federation + weekly schedule.

Pure Python + numpy, no Django. Typical use::

    from otklik.worktime import default_worktime
    wt = default_worktime()
    deadline = wt.add(received_at, 9 * 60)          # R-8.3: 9 working hours
    spent = wt.between(received_at, answered_at)     # whole working minutes

See docs/worktime.md for the rules.
"""

from __future__ import annotations

from functools import lru_cache

from .calendar import (
    CalendarDataError,
    CalendarRangeError,
    DayInfo,
    DayKind,
    DayOverride,
    ProductionCalendar,
    YearStats,
)
from .engine import CountedInterval, WorkTime
from .schedule import ScheduleError, WeeklySchedule

__all__ = [
    "CalendarDataError",
    "CalendarRangeError",
    "CountedInterval",
    "DayInfo",
    "DayKind",
    "DayOverride",
    "ProductionCalendar",
    "ScheduleError",
    "WeeklySchedule",
    "WorkTime",
    "YearStats",
    "default_worktime",
]


@lru_cache(maxsize=2)
def default_worktime(include_decree_nonworking: bool = False) -> WorkTime:
    """Cached engine: packaged Government calendar + default schedule (Mon–Thu 9–18, Fri 9–16:45, Moscow)."""
    calendar = ProductionCalendar.from_package(include_decree_nonworking=include_decree_nonworking)
    return WorkTime(calendar, WeeklySchedule.default())
