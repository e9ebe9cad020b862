"""The engine as the application uses it: packaged calendar + the administrators' corrections + a schedule.

Every deadline in the workflow comes from `worktime_for(body)`; nothing adds wall-clock hours.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Count, Max

from .calendar import ProductionCalendar
from .engine import WorkTime
from .schedule import WeeklySchedule


def _db_version() -> tuple[Any, ...]:
    from .models import CalendarOverride, CalendarYear

    o = CalendarOverride.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    y = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (o["n"], o["t"], y["n"], y["t"])


@lru_cache(maxsize=8)
def _calendar(version: tuple[Any, ...]) -> ProductionCalendar:
    from .models import CalendarOverride, CalendarYear

    overrides = {o.date: o.as_override() for o in CalendarOverride.objects.all()}
    extra = {y.year: y.data for y in CalendarYear.objects.all()}
    return ProductionCalendar.from_package(overrides=overrides or None, extra_years=extra or None)


def current_calendar() -> ProductionCalendar:
    """The packaged Government calendar with the database corrections (cached until they change)."""
    return _calendar(_db_version())


@lru_cache(maxsize=256)
def _worktime(calendar: ProductionCalendar, schedule_key: str) -> WorkTime:
    import json

    schedule = (
        WeeklySchedule.from_dict(json.loads(schedule_key)) if schedule_key else WeeklySchedule.default()
    )
    return WorkTime(calendar, schedule)


def schedule_of(body: Any) -> WeeklySchedule:
    data = getattr(body, "schedule", None) if body is not None else None
    return WeeklySchedule.from_dict(data) if data else WeeklySchedule.default()


def worktime_for(body: Any = None) -> WorkTime:
    """The working-time engine for a body's schedule (the default schedule when `body` is None or has none)."""
    import json

    data = getattr(body, "schedule", None) if body is not None else None
    key = json.dumps(data, sort_keys=True) if data else ""
    return _worktime(current_calendar(), key)
