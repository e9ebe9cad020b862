"""The engine as the application uses it: packaged calendar + the administrators' corrections + a schedule.

Every deadline in the workflow comes from `worktime_for(body)`; nothing adds wall-clock hours. What already
happened — a violation's lateness, the working time a body took to answer, where a term began to count — is
counted by `worktime_then(body)` / `worktimes_then(bodies)`: each moment by the hours the body worked by at that
moment (its earlier schedules are kept when they change, `models.BodySchedule`), so a body's new hours do not
rewrite a report already sent. For moments after the body's last change both engines count alike.

Stored corrections never take the application down: a stored year that would leave a gap between the loaded
years, or a day correction outside the loaded years, is left out with a logged error until it fits.
`worktime_for` also covers the year after the last loaded one PROVISIONALLY, by the Labour Code alone
(`calendar.statutory_year_data`: the public holidays are days off, pre-holiday days are shorter, the
Government's transfers are unknown), so that deadlines running over New Year do not fail when the next year's
calendar has not been added yet. Such days carry the note "предварительно" and the calendar lists the year in
`provisional_years`: the workflow (`cases.sla`) logs and records every deadline that reaches into it.
`current_calendar` (the `otklik worktime` command) shows only what is loaded.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.db.models import Count, Max

from .calendar import DayOverride, ProductionCalendar, _package_data, statutory_year_data
from .engine import WorkTime
from .schedule import ScheduleError, WeeklySchedule

log = logging.getLogger(__name__)


def _db_version() -> tuple[Any, ...]:
    from .models import CalendarOverride, CalendarYear

    o = CalendarOverride.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    y = CalendarYear.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (o["n"], o["t"], y["n"], y["t"])


def contiguous_years(packaged: set[int], stored: dict[int, Any]) -> dict[int, Any]:
    """The stored years that keep the calendar's years contiguous with the packaged ones (replacements of a
    packaged year and the years that follow or precede the range without a gap)."""
    years = set(packaged)
    kept: dict[int, Any] = {y: data for y, data in stored.items() if y in packaged}
    for year in sorted(y for y in stored if y > max(packaged)):
        if year - 1 not in years:
            break
        years.add(year)
        kept[year] = stored[year]
    for year in sorted((y for y in stored if y < min(packaged)), reverse=True):
        if year + 1 not in years:
            break
        years.add(year)
        kept[year] = stored[year]
    return kept


def _stored() -> tuple[dict[Any, DayOverride], dict[int, Any]]:
    from .models import CalendarOverride, CalendarYear

    overrides = {o.date: o.as_override() for o in CalendarOverride.objects.all()}
    stored = {int(y.year): y.data for y in CalendarYear.objects.all()}
    extra = contiguous_years({int(y) for y in _package_data()["years"]}, stored)
    for year in sorted(set(stored) - set(extra)):
        log.error(
            "calendar year %s stored in the database is not used: it leaves a gap after the loaded years",
            year,
        )
    return overrides, extra


def _build(
    overrides: dict[Any, DayOverride], extra: dict[int, Any], provisional: frozenset[int] = frozenset()
) -> ProductionCalendar:
    years = {int(y) for y in _package_data()["years"]} | set(extra)  # contiguous (`contiguous_years`)
    inside = {day: o for day, o in overrides.items() if min(years) <= day.year <= max(years)}
    for day in sorted(set(overrides) - set(inside)):
        log.warning("calendar override of %s is not used: its year is not in the calendar", day)
    return ProductionCalendar.from_package(
        overrides=inside or None, extra_years=extra or None, provisional_years=provisional
    )


@lru_cache(maxsize=8)
def _calendar(version: tuple[Any, ...]) -> ProductionCalendar:
    return _build(*_stored())


@lru_cache(maxsize=8)
def _calendar_with_provisional(version: tuple[Any, ...]) -> ProductionCalendar:
    overrides, extra = _stored()
    nxt = max(int(y) for y in (*_package_data()["years"], *extra)) + 1
    return _build(overrides, {**extra, nxt: statutory_year_data(nxt)}, frozenset({nxt}))


def current_calendar() -> ProductionCalendar:
    """The packaged Government calendar with the database corrections (cached until they change)."""
    return _calendar(_db_version())


def working_calendar() -> ProductionCalendar:
    """`current_calendar` followed by the provisional statutory year after the last loaded one."""
    return _calendar_with_provisional(_db_version())


@lru_cache(maxsize=256)
def _worktime(calendar: ProductionCalendar, schedule_key: str) -> WorkTime:
    schedule = (
        WeeklySchedule.from_dict(json.loads(schedule_key)) if schedule_key else WeeklySchedule.default()
    )
    return WorkTime(calendar, schedule)


def _key(data: Any) -> str:
    return json.dumps(data, sort_keys=True) if data else ""


@lru_cache(maxsize=256)
def _worktime_then(
    calendar: ProductionCalendar, schedule_key: str, earlier: tuple[tuple[datetime, str], ...]
) -> WorkTime:
    current = _worktime(calendar, schedule_key)
    if not earlier:
        return current
    kept: list[tuple[datetime, WeeklySchedule]] = []
    for until, key in earlier:
        try:
            schedule = WeeklySchedule.from_dict(json.loads(key)) if key else WeeklySchedule.default()
        except ScheduleError as exc:  # stored without the form's check; no deadline could be counted by it
            log.error("an earlier schedule (until %s) is counted as the standard one: %s", until, exc)
            schedule = WeeklySchedule.default()
        kept.append((until, schedule))
    return WorkTime(calendar, current.schedule, kept)


def schedule_history(
    body_ids: Iterable[int], before: datetime | None = None
) -> dict[int, list[tuple[datetime, str]]]:
    """The schedules each body worked by before its present one (`models.BodySchedule`; only those that stopped
    before `before`, when given), oldest first, as `_worktime_then` takes them: (the moment it stopped, its key).
    One query."""
    from .models import BodySchedule

    ids = set(body_ids)
    earlier: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    if not ids:
        return earlier
    rows = BodySchedule.objects.filter(body_id__in=ids)
    if before is not None:
        rows = rows.filter(valid_until__lt=before)
    for body_id, until, schedule in rows.order_by("body_id", "valid_until", "id").values_list(
        "body_id", "valid_until", "schedule"
    ):
        earlier[body_id].append((until, _key(schedule)))
    return earlier


def worktimes_then(
    bodies: Iterable[Any], calendar: ProductionCalendar | None = None
) -> dict[int | None, WorkTime]:
    """For each body (by its id; None: no body, the standard schedule), the engine that counts every moment by the
    hours the body worked by at that moment: its `Body.schedule` since its last change, before it the schedules it
    replaced (`models.BodySchedule`). For what already happened: lateness, time to answer, where a term began to
    count. One query for all the bodies (and the calendar's version, unless `calendar` — `working_calendar()`
    read for the same page — is given)."""
    given = list(bodies)
    earlier = schedule_history({b.pk for b in given if b is not None})
    calendar = calendar or working_calendar()
    return {
        (b.pk if b is not None else None): _worktime_then(
            calendar,
            _key(getattr(b, "schedule", None)),
            tuple(earlier.get(b.pk, ())) if b is not None else (),
        )
        for b in given
    }


def worktime_then(body: Any = None) -> WorkTime:
    """`worktimes_then` of one body (None: the standard schedule)."""
    if body is None or getattr(body, "pk", None) is None:
        return worktime_for(body)
    return worktimes_then([body])[body.pk]


def schedule_of(body: Any) -> WeeklySchedule:
    data = getattr(body, "schedule", None) if body is not None else None
    return WeeklySchedule.from_dict(data) if data else WeeklySchedule.default()


def worktime_for(body: Any = None) -> WorkTime:
    """The working-time engine for a body's schedule (the default schedule when `body` is None or has none),
    over `working_calendar()`: the body's current hours, for counting from now on (see `worktime_then`)."""
    data = getattr(body, "schedule", None) if body is not None else None
    return _worktime(working_calendar(), _key(data))


# An administrator is told this many days before the last loaded year ends that the next one is missing: the
# Government's decree on the next year's transfers comes out in the autumn, and after the loaded years the
# application counts only one year ahead, provisionally.
WARN_DAYS_AHEAD = 60
ADD_YEAR_WHERE = "«Администрирование → Рабочее время → Годы производственного календаря → Добавить»"


def missing_year() -> int:
    """The first year whose Government calendar is not loaded (the provisional one, if any)."""
    return current_calendar().last_year + 1


def calendar_warning(today: date) -> str:
    """A Russian warning for administrators when the last loaded year of the production calendar ends within
    `WARN_DAYS_AHEAD` days of `today` (or has ended), saying what to do; "" otherwise."""
    last = current_calendar().last_year
    nxt = last + 1
    if (date(last, 12, 31) - today).days > WARN_DAYS_AHEAD:
        return ""
    do = (
        f"Загрузите календарь на {nxt} год: {ADD_YEAR_WHERE}, файл calendar.xml этого года с xmlcalendar.ru "
        "(или данные года из постановления Правительства о переносе выходных дней)."
    )
    if today.year <= last:
        return (
            f"Производственный календарь загружен только до 31.12.{last}. Сроки {nxt} года будут считаться "
            f"предварительно, по Трудовому кодексу, без переносов выходных, а сроки, выходящие за пределы {nxt} года, "
            f"не посчитать: такие действия не будут выполняться. {do}"
        )
    return (
        f"Производственный календарь на {nxt} год не загружен: сроки считаются предварительно, по Трудовому "
        f"кодексу, без переносов выходных, а сроки, выходящие за пределы {nxt} года, не посчитать — такие действия не "
        f"выполняются. {do}"
    )
