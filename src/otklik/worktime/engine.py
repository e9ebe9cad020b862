"""Working-time arithmetic over a production calendar and a weekly schedule.

All working intervals of the whole calendar range are precomputed as absolute instants (integer
microseconds since the Unix epoch) with a cumulative working-time table, so ``add`` and ``between`` are
two binary searches (``bisect``) and the batch variants are ``numpy.searchsorted`` over whole arrays.

Conventions (see docs/worktime.md):

* working intervals are half-open ``[start, end)``: 09:00 is working, 18:00 is not;
* ``W(t)`` = working time elapsed from the start of the calendar to ``t``; ``between(a, b) = W(b) - W(a)``;
* ``add(a, d)`` = the EARLIEST moment ``t >= a`` with ``W(t) >= W(a) + d`` — so time running out exactly at
  the
  end of a working period ends there (Friday 16:45, not Monday 09:00), a start outside working time begins at
  the next working moment, and ``add(a, 0) == a`` (no normalisation; use ``next_working_moment``);
* precision: microseconds internally; ``between`` returns whole minutes truncated toward zero, negative when
  ``b < a``; ``working_time`` returns the exact ``timedelta``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .calendar import WEEKDAY_NAMES_RU, CalendarRangeError, DayInfo, DayKind, ProductionCalendar
from .schedule import WEEKDAY_SHORT_RU, WeeklySchedule

__all__ = ["CountedInterval", "WorkTime"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
US_PER_MIN = 60_000_000


def _to_us(moment: dt.datetime, what: str = "момент") -> int:
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"{what}: ожидается datetime, получено {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{what}: дата-время без часового пояса ({moment.isoformat()}) не принимается — "
            "naive datetime refused, pass a timezone-aware datetime"
        )
    return (moment - _EPOCH) // _US


def _local_us(naive_local: dt.datetime, tz: dt.tzinfo) -> int:
    return (naive_local.replace(tzinfo=tz) - _EPOCH) // _US


def _us_date(us: int, tz: dt.tzinfo) -> dt.date:
    return (_EPOCH + dt.timedelta(microseconds=us)).astimezone(tz).date()


def _check_minutes(minutes: object, what: str = "минут") -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int | np.integer):
        raise TypeError(f"число {what} должно быть целым, а не {minutes!r}")
    value = int(minutes)
    if value < 0:
        raise ValueError(f"число {what} не может быть отрицательным: {value}")
    return value


@dataclass(frozen=True)
class CountedInterval:
    """A piece of working time counted by :meth:`WorkTime.explain`."""

    start: dt.datetime
    end: dt.datetime
    day: DayInfo

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    @property
    def minutes(self) -> float:
        return self.duration / dt.timedelta(minutes=1)


def _fmt_minutes(total_minutes: float) -> str:
    whole = int(total_minutes)
    text = f"{whole // 60} ч {whole % 60:02d} мин"
    seconds = round((total_minutes - whole) * 60)
    if seconds:
        text += f" {seconds} с"
    return text


class WorkTime:
    """Working-time engine for one calendar and one schedule, or a schedule and those in force before it
    (immutable, thread-safe)."""

    def __init__(
        self,
        calendar: ProductionCalendar,
        schedule: WeeklySchedule | None = None,
        earlier: Sequence[tuple[dt.datetime, WeeklySchedule]] = (),
    ) -> None:
        """``schedule`` is in force from the last moment of ``earlier`` on (from the calendar's start without it).
        ``earlier``: the schedules in force before it, oldest first, each with the moment it stopped being in
        force (a body's changed hours, `worktime.service.worktime_then`): every moment is counted by the hours
        in force at that moment, so a change never recounts the time before it."""
        self.calendar = calendar
        self.schedule = schedule if schedule is not None else WeeklySchedule.default()
        self.tz = self.schedule.tz
        self.earlier = tuple(earlier)
        # (schedule, in force from, until) in epoch microseconds; None = the calendar's start / end
        segments: list[tuple[WeeklySchedule, int | None, int | None]] = []
        since: int | None = None
        for moment, earlier_schedule in self.earlier:
            until = _to_us(moment, "смена графика")
            if since is not None and until < since:
                raise ValueError("смены графика должны идти по порядку")
            segments.append((earlier_schedule, since, until))
            since = until
        segments.append((self.schedule, since, None))
        self._changes = [until for _, _, until in segments[:-1] if until is not None]
        self._segment_schedules = [s for s, _, _ in segments]
        starts: list[int] = []
        ends: list[int] = []
        days: list[int] = []
        all_days = calendar.days()
        for segment_schedule, lo, hi in segments:
            if lo is not None and hi is not None and hi <= lo:
                continue
            tz = segment_schedule.tz
            # the calendar days this schedule's hours can fall on (a day either side for the zones)
            first = 0 if lo is None else max(0, (_us_date(lo, tz) - calendar.first_date).days - 1)
            last = (
                len(all_days)
                if hi is None
                else min(len(all_days), (_us_date(hi, tz) - calendar.first_date).days + 2)
            )
            for index in range(first, last):
                info = all_days[index]
                if not info.is_working:
                    continue
                midnight = dt.datetime.combine(info.date, dt.time())
                for start_min, end_min in segment_schedule.day_intervals(
                    info.hours_like, shortened=info.kind is DayKind.SHORTENED
                ):
                    s = _local_us(midnight + dt.timedelta(minutes=start_min), tz)
                    e = _local_us(midnight + dt.timedelta(minutes=end_min), tz)
                    if lo is not None and s < lo:
                        s = lo
                    if hi is not None and e > hi:
                        e = hi
                    if starts and s < ends[-1]:  # only possible around a DST fold or a change of zone
                        s = ends[-1]
                    if e <= s:
                        continue
                    starts.append(s)
                    ends.append(e)
                    days.append(index)
        if not starts:
            raise CalendarRangeError("в календаре нет ни одного рабочего интервала для этого графика")
        self._starts = starts
        self._ends = ends
        self._day_index = days
        cum = [0]
        for s, e in zip(starts, ends, strict=True):
            cum.append(cum[-1] + e - s)
        self._cum = cum[:-1]  # working time before interval i
        self._cum_end = cum[1:]  # working time up to the end of interval i
        self.range_start_us = self._local_us(dt.datetime.combine(calendar.first_date, dt.time()))
        self.range_end_us = self._local_us(
            dt.datetime.combine(calendar.last_date + dt.timedelta(days=1), dt.time())
        )
        self._np_starts = np.asarray(starts, dtype=np.int64)
        self._np_ends = np.asarray(ends, dtype=np.int64)
        self._np_cum = np.asarray(self._cum, dtype=np.int64)
        self._np_cum_end = np.asarray(self._cum_end, dtype=np.int64)
        self._np_len = self._np_ends - self._np_starts

    # ------------------------------------------------------------------ conversions
    def _local_us(self, naive_local: dt.datetime) -> int:
        return _local_us(naive_local, self.tz)

    def schedule_at(self, moment: dt.datetime) -> WeeklySchedule:
        """The schedule in force at ``moment`` (the current one without ``earlier``)."""
        return self._segment_schedules[bisect_right(self._changes, _to_us(moment))]

    def _from_us(self, us: int) -> dt.datetime:
        seconds, micro = divmod(us, 1_000_000)
        moment = dt.datetime.fromtimestamp(seconds, self.tz)
        return moment.replace(microsecond=micro) if micro else moment

    def _in(self, moment: dt.datetime, what: str = "момент") -> int:
        if type(moment) is dt.datetime and moment.tzinfo is not None:
            try:
                us = (moment - _EPOCH) // _US
            except TypeError:  # tzinfo whose utcoffset() is None
                us = _to_us(moment, what)
        else:
            us = _to_us(moment, what)
        if not self.range_start_us <= us <= self.range_end_us:
            raise CalendarRangeError(
                f"{what} {moment.isoformat()} вне производственного календаря "
                f"({self.calendar.first_year}–{self.calendar.last_year})"
            )
        return us

    # ------------------------------------------------------------------ core (integer microseconds)
    def _w(self, t: int) -> int:
        i = bisect_right(self._starts, t) - 1
        if i < 0:
            return 0
        return self._cum[i] + min(t, self._ends[i]) - self._starts[i]

    def _add_us(self, a: int, d: int) -> int:
        if d == 0:
            return a
        target = self._w(a) + d
        j = bisect_left(self._cum_end, target)
        if j >= len(self._cum_end):
            raise CalendarRangeError(
                f"срок выходит за пределы производственного календаря (после {self.calendar.last_year} г.): "
                "добавьте следующий год"
            )
        return self._starts[j] + target - self._cum[j]

    # ------------------------------------------------------------------ public scalar API
    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment when ``minutes`` of working time have passed since ``start`` (see module doc)."""
        # hot path: inlined _in / _add_us / _from_us (≈2 µs per call)
        if type(minutes) is not int or minutes < 0:
            minutes = _check_minutes(minutes)
        if type(start) is dt.datetime and start.tzinfo is not None:
            try:
                a = (start - _EPOCH) // _US
            except TypeError:
                a = _to_us(start, "начало")
        else:
            a = _to_us(start, "начало")
        if not self.range_start_us <= a <= self.range_end_us:
            a = self._in(start, "начало")  # raises CalendarRangeError
        if minutes == 0:
            return self._from_us(a)
        starts = self._starts
        i = bisect_right(starts, a) - 1
        target = (self._cum[i] + min(a, self._ends[i]) - starts[i] if i >= 0 else 0) + minutes * US_PER_MIN
        j = bisect_left(self._cum_end, target)
        if j >= len(starts):
            return self._from_us(self._add_us(a, minutes * US_PER_MIN))  # raises CalendarRangeError
        seconds, micro = divmod(starts[j] + target - self._cum[j], 1_000_000)
        moment = dt.datetime.fromtimestamp(seconds, self.tz)
        return moment.replace(microsecond=micro) if micro else moment

    def add_duration(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """Like :meth:`add` with microsecond precision."""
        if duration < dt.timedelta(0):
            raise ValueError("продолжительность не может быть отрицательной")
        return self._from_us(self._add_us(self._in(start, "начало"), duration // _US))

    def working_time(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Exact working time from ``a`` to ``b`` (negative if ``b < a``)."""
        return dt.timedelta(microseconds=self._w(self._in(b, "конец")) - self._w(self._in(a, "начало")))

    def between(self, a: dt.datetime, b: dt.datetime) -> int:
        """Whole working minutes from ``a`` to ``b``, truncated toward zero;
        ``-between(b, a)`` if ``b < a``."""
        d = self._w(self._in(b, "конец")) - self._w(self._in(a, "начало"))
        return d // US_PER_MIN if d >= 0 else -((-d) // US_PER_MIN)

    def is_working(self, moment: dt.datetime) -> bool:
        """True if ``moment`` lies inside a working interval ``[start, end)``."""
        t = self._in(moment)
        i = bisect_right(self._starts, t) - 1
        return i >= 0 and t < self._ends[i]

    def next_working_moment(self, moment: dt.datetime) -> dt.datetime:
        """``moment`` itself if working, otherwise the start of the next working interval."""
        t = self._in(moment)
        i = bisect_right(self._ends, t)  # first interval ending after t
        if i >= len(self._starts):
            raise CalendarRangeError("после этого момента в календаре нет рабочего времени")
        return self._from_us(max(t, self._starts[i]))

    def last_working_moment(self) -> dt.datetime:
        """The end of the calendar's last working interval: the latest due time this engine can give."""
        return self._from_us(self._ends[-1])

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """R-8.8: "within N working days" — the CLOSE (end of working hours) of the N-th working day after the
        local calendar day of ``start`` (the start day itself is not counted, whatever the time)."""
        n = _check_minutes(days, "рабочих дней")
        if n < 1:
            raise ValueError("число рабочих дней должно быть не меньше 1")
        t = self._in(start, "начало")
        local_day = self._from_us(t).date()
        # first interval of a later calendar day
        next_midnight = self._local_us(dt.datetime.combine(local_day + dt.timedelta(days=1), dt.time()))
        i = bisect_left(self._starts, next_midnight)
        seen = 0
        while i < len(self._starts):
            day = self._day_index[i]
            # advance to the last interval of this day
            while i + 1 < len(self._starts) and self._day_index[i + 1] == day:
                i += 1
            seen += 1
            if seen == n:
                return self._from_us(self._ends[i])
            i += 1
        raise CalendarRangeError(
            "срок выходит за пределы производственного календаря: добавьте следующий год"
        )

    def working_days_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """The inverse of `add_working_days`: how many working days — calendar days with working hours in this
        engine (the body's schedule on the calendar), after the local calendar day of ``start`` — begin before
        ``end``; ``add_working_days(start, n)`` is due at ``end`` for that n."""
        a, b = self._in(start, "начало"), self._in(end, "конец")
        local_day = self._from_us(a).date()
        next_midnight = self._local_us(dt.datetime.combine(local_day + dt.timedelta(days=1), dt.time()))
        first, last = bisect_left(self._starts, next_midnight), bisect_left(self._starts, b)
        return len(set(self._day_index[first:last]))

    def schedule_checks(self, start: dt.datetime, every_minutes: int, span_minutes: int) -> list[dt.datetime]:
        """R-7.4: check moments every ``every_minutes`` of working time over ``span_minutes`` of working time:
        ``add(start, k * every)`` for k = 1 .. span // every (the start itself is not a check)."""
        every = _check_minutes(every_minutes)
        span = _check_minutes(span_minutes)
        if every == 0:
            raise ValueError("интервал проверок должен быть больше нуля")
        a = self._in(start, "начало")
        return [self._from_us(self._add_us(a, k * every * US_PER_MIN)) for k in range(1, span // every + 1)]

    def explain(self, start: dt.datetime, end: dt.datetime) -> list[CountedInterval]:
        """The working intervals counted between ``start`` and ``end`` (clipped), in order."""
        a, b = self._in(start, "начало"), self._in(end, "конец")
        if b < a:
            a, b = b, a
        days = self.calendar.days()
        result = []
        i = bisect_right(self._ends, a)
        while i < len(self._starts) and self._starts[i] < b:
            result.append(
                CountedInterval(
                    start=self._from_us(max(a, self._starts[i])),
                    end=self._from_us(min(b, self._ends[i])),
                    day=days[self._day_index[i]],
                )
            )
            i += 1
        return result

    def explain_ru(self, start: dt.datetime, end: dt.datetime) -> str:
        """Human-readable Russian explanation: counted intervals per day and why other days did not count."""
        if end < start:
            start, end = end, start
        pieces = self.explain(start, end)
        by_day: dict[dt.date, list[CountedInterval]] = {}
        for piece in pieces:
            by_day.setdefault(piece.day.date, []).append(piece)
        s_local, e_local = start.astimezone(self.tz), end.astimezone(self.tz)
        total = self.working_time(start, end) / dt.timedelta(minutes=1)
        lines = [
            f"Рабочее время с {s_local:%d.%m.%Y %H:%M} по {e_local:%d.%m.%Y %H:%M} "
            f"({self.schedule.timezone}): "
            f"{_fmt_minutes(total)}"
        ]
        day = s_local.date()
        while day <= e_local.date():
            info = self.calendar.day(day)
            head = f"  {day:%d.%m.%Y} ({WEEKDAY_SHORT_RU[day.weekday()]})"
            if day in by_day:
                parts = ", ".join(
                    f"{p.start:%H:%M}–{p.end:%H:%M} ({_fmt_minutes(p.minutes)})" for p in by_day[day]
                )
                note = f" [{info.note}]" if info.note else ""
                lines.append(f"{head}: {parts}{note}")
            elif not info.is_working:
                lines.append(f"{head}: не считается — {info.note or 'выходной'}")
            else:
                lines.append(f"{head}: рабочий день, но вне рассматриваемого периода или рабочих часов")
            day += dt.timedelta(days=1)
        lines.append(f"Итого: {_fmt_minutes(total)} ({total:g} мин)")
        return "\n".join(lines)

    # ------------------------------------------------------------------ vectorised batch API
    def _as_us_array(self, values: Any, what: str) -> npt.NDArray[np.int64]:
        arr = np.asarray(values)
        if arr.dtype == object:
            arr = np.fromiter((_to_us(v, what) for v in arr.ravel()), dtype=np.int64, count=arr.size).reshape(
                arr.shape
            )
        elif np.issubdtype(arr.dtype, np.datetime64):
            arr = arr.astype("datetime64[us]").astype(np.int64)
        elif np.issubdtype(arr.dtype, np.integer):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"{what}: ожидается массив datetime64 (UTC) или aware datetime, а не {arr.dtype}")
        if arr.size and (arr.min() < self.range_start_us or arr.max() > self.range_end_us):
            raise CalendarRangeError(f"{what}: значения вне производственного календаря")
        return arr

    def _w_many(self, t: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        i = np.searchsorted(self._np_starts, t, side="right") - 1
        ic = np.maximum(i, 0)
        w = self._np_cum[ic] + np.clip(t - self._np_starts[ic], 0, self._np_len[ic])
        return np.where(i >= 0, w, 0)

    def add_many_us(
        self, starts_us: npt.NDArray[np.int64], durations_us: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`add` on epoch microseconds (int64); no range check on the inputs."""
        a, d = np.broadcast_arrays(
            np.asarray(starts_us, dtype=np.int64), np.asarray(durations_us, dtype=np.int64)
        )
        if d.size and d.min() < 0:
            raise ValueError("продолжительность не может быть отрицательной")
        target = self._w_many(a) + d
        j = np.searchsorted(self._np_cum_end, target, side="left")
        if j.size and j.max() >= len(self._np_cum_end):
            raise CalendarRangeError(
                "срок выходит за пределы производственного календаря: добавьте следующий год"
            )
        result = self._np_starts[j] + target - self._np_cum[j]
        return np.where(d == 0, a, result)

    def add_many(self, starts: Any, minutes: Any) -> npt.NDArray[np.datetime64]:
        """Vectorised :meth:`add`. ``starts``: ``datetime64`` array (UTC instants) or a sequence of aware
        datetimes; ``minutes``: integer array (broadcast). Returns ``datetime64[us]`` UTC instants."""
        a = self._as_us_array(starts, "начало")
        m = np.asarray(minutes)
        if not np.issubdtype(m.dtype, np.integer):
            raise TypeError("минуты должны быть целыми числами")
        return self.add_many_us(a, m.astype(np.int64) * US_PER_MIN).astype("datetime64[us]")

    def between_many(self, a: Any, b: Any) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`between` (whole minutes, truncated toward zero)."""
        d = self._w_many(self._as_us_array(b, "конец")) - self._w_many(self._as_us_array(a, "начало"))
        minutes: npt.NDArray[np.int64] = np.sign(d) * (np.abs(d) // US_PER_MIN)
        return minutes

    def next_working_many_us(self, t_us: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Vectorised :meth:`next_working_moment` on epoch microseconds (int64)."""
        t = np.asarray(t_us, dtype=np.int64)
        i = np.searchsorted(self._np_ends, t, side="right")
        if i.size and i.max() >= len(self._np_ends):
            raise CalendarRangeError("после этого момента в календаре нет рабочего времени")
        result: npt.NDArray[np.int64] = np.maximum(t, self._np_starts[i])
        return result

    def between_many_us(
        self, a_us: npt.NDArray[np.int64], b_us: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.int64]:
        """Vectorised exact working time in microseconds (int64)."""
        return self._w_many(np.asarray(b_us, dtype=np.int64)) - self._w_many(np.asarray(a_us, dtype=np.int64))

    # ------------------------------------------------------------------ statistics
    def year_minutes(self, year: int) -> int:
        """Working minutes of ``year`` under this schedule."""
        start = self._local_us(dt.datetime(year, 1, 1))
        end = self._local_us(dt.datetime(year + 1, 1, 1))
        if start < self.range_start_us or end > self.range_end_us:
            raise CalendarRangeError(f"год {year} вне производственного календаря")
        return (self._w(end) - self._w(start)) // US_PER_MIN

    def describe_day(self, day: dt.date) -> str:
        """One-line Russian description of a date (kind, hours, reason)."""
        info = self.calendar.day(day)
        name = WEEKDAY_NAMES_RU[day.weekday()]
        if not info.is_working:
            return f"{day:%d.%m.%Y}, {name}: нерабочий день — {info.note or 'выходной'}"
        in_force = self.schedule_at(dt.datetime.combine(day, dt.time(12), tzinfo=self.tz))
        hours = ", ".join(
            f"{s // 60:02d}:{s % 60:02d}–{e // 60:02d}:{e % 60:02d}"
            for s, e in in_force.day_intervals(info.hours_like, info.kind is DayKind.SHORTENED)
        )
        note = f" ({info.note})" if info.note else ""
        return f"{day:%d.%m.%Y}, {name}: рабочий день {hours}{note}"
