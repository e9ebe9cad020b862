"""Production calendar (производственный календарь): which days are working, shortened or off.

Layers, applied in this order for every date:

1. *weekly rule* — Mon–Fri working, Sat/Sun off;
2. *year data* — the Government calendar shipped in ``data/ru_calendar.json`` (2013–2027) plus any
   ``extra_years`` (which replace a packaged year completely);
3. *decree layer* (optional, OFF by default) — presidential "нерабочие дни" of 2020 and 2021;
4. *overrides* — per-day administrator corrections (date → off / working / shortened).

Year-data format (JSON-compatible, the same for the package file and for ``extra_years``)::

    {"off": {"MM-DD": "reason", ...},          # days off (holidays, transferred days off)
     "shortened": ["MM-DD", ...],              # pre-holiday days, one hour shorter
     "working_weekend": {"MM-DD": weekday}}    # Sat/Sun made working; hours as on that weekday (0 = Mon)
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "WEEKDAY_NAMES_RU",
    "CalendarDataError",
    "CalendarRangeError",
    "DayInfo",
    "DayKind",
    "DayOverride",
    "ProductionCalendar",
    "YearStats",
    "missing_statutory_holidays",
    "statutory_year_data",
]

WEEKDAY_NAMES_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")


class CalendarDataError(ValueError):
    """Malformed calendar data (year data, decree layer or overrides)."""


class CalendarRangeError(ValueError):
    """A moment or date outside the years covered by the production calendar."""


class DayKind(enum.StrEnum):
    WORKING = "working"
    SHORTENED = "shortened"
    OFF = "off"


@dataclass(frozen=True)
class DayOverride:
    """Administrator's correction of one day.

    ``hours_like`` — weekday (0 = Monday … 6 = Sunday) whose schedule hours apply on a working/shortened
    day; ``None`` = the day's own weekday for Mon–Fri, Monday for Sat/Sun.
    """

    kind: DayKind
    hours_like: int | None = None
    note: str = ""

    @classmethod
    def coerce(cls, value: DayOverride | DayKind | str | Mapping[str, Any]) -> DayOverride:
        """Accept ``DayOverride``, ``DayKind``, ``"off"|"working"|"shortened"`` or a mapping
        ``{"kind": ..., "hours_like": 0..6 | None, "note": str}``."""
        if isinstance(value, DayOverride):
            return value
        if isinstance(value, str):
            return cls(kind=_coerce_kind(value))
        if isinstance(value, Mapping):
            unknown = set(value) - {"kind", "hours_like", "note"}
            if unknown:
                raise CalendarDataError(f"переопределение дня: неизвестные поля {sorted(unknown)}")
            hours_like = value.get("hours_like")
            if hours_like is not None and (
                isinstance(hours_like, bool) or not isinstance(hours_like, int) or not 0 <= hours_like <= 6
            ):
                raise CalendarDataError(
                    f"переопределение дня: hours_like должен быть 0..6, а не {hours_like!r}"
                )
            note = value.get("note", "")
            if not isinstance(note, str):
                raise CalendarDataError("переопределение дня: note должен быть строкой")
            return cls(kind=_coerce_kind(value.get("kind")), hours_like=hours_like, note=note)
        raise CalendarDataError(f"переопределение дня: неподдерживаемое значение {value!r}")


def _coerce_kind(value: object) -> DayKind:
    try:
        return DayKind(str(value))
    except ValueError:
        raise CalendarDataError(
            f"вид дня должен быть одним из off / working / shortened, а не {value!r}"
        ) from None


OverrideValue = DayOverride | DayKind | str | Mapping[str, Any]
Overrides = (
    Mapping[dt.date, OverrideValue] | Mapping[str, OverrideValue] | Mapping[dt.date | str, OverrideValue]
)


@dataclass(frozen=True)
class DayInfo:
    """Resolved status of one date.

    ``hours_like`` is the weekday whose schedule hours apply (meaningful for working kinds).
    ``source`` is ``"weekly"``, ``"calendar"``, ``"decree"`` or ``"override"``;
    ``note`` is a reason in Russian.
    """

    date: dt.date
    kind: DayKind
    hours_like: int
    source: str
    note: str = ""

    @property
    def is_working(self) -> bool:
        return self.kind is not DayKind.OFF


@dataclass(frozen=True)
class YearStats:
    year: int
    working_days: int
    shortened_days: int

    @property
    def hours_40h(self) -> int:
        """Official norm of a 40-hour week: 8 h per working day, 7 h per shortened one."""
        return 8 * self.working_days - self.shortened_days


def _parse_md(year: int, key: str) -> dt.date:
    try:
        month, day = (int(part) for part in key.split("-"))
        return dt.date(year, month, day)
    except (ValueError, AttributeError):
        raise CalendarDataError(f"{year}: неверная дата {key!r} (ожидается ММ-ДД)") from None


@dataclass(frozen=True)
class _YearLayer:
    off: dict[dt.date, str]
    shortened: frozenset[dt.date]
    working_weekend: dict[dt.date, int]


def _parse_year(year: int, data: Mapping[str, Any]) -> _YearLayer:
    if not isinstance(data, Mapping):
        raise CalendarDataError(f"{year}: данные года должны быть объектом")
    unknown = set(data) - {"off", "shortened", "working_weekend"}
    if unknown:
        raise CalendarDataError(f"{year}: неизвестные поля {sorted(unknown)}")
    off_raw = data.get("off", {})
    if isinstance(off_raw, list):  # a plain list of dates is accepted too
        off_raw = dict.fromkeys(off_raw, "")
    if not isinstance(off_raw, Mapping):
        raise CalendarDataError(
            f'{year}: поле "off" должно быть объектом {{"ММ-ДД": "праздник"}} или списком дат'
        )
    off = {_parse_md(year, k): str(v or "") for k, v in off_raw.items()}
    shortened_raw = data.get("shortened", [])
    if not isinstance(shortened_raw, list):
        raise CalendarDataError(f'{year}: поле "shortened" должно быть списком дат ["ММ-ДД", …]')
    shortened = frozenset(_parse_md(year, k) for k in shortened_raw)
    weekend_raw = data.get("working_weekend", {})
    if not isinstance(weekend_raw, Mapping):
        raise CalendarDataError(
            f'{year}: поле "working_weekend" должно быть объектом {{"ММ-ДД": день недели}}'
        )
    working_weekend: dict[dt.date, int] = {}
    for key, like in weekend_raw.items():
        day = _parse_md(year, key)
        if day.weekday() < 5:
            raise CalendarDataError(f"{day}: working_weekend допускает только субботу или воскресенье")
        if isinstance(like, bool) or not isinstance(like, int) or not 0 <= like <= 6:
            raise CalendarDataError(f"{day}: день недели для часов должен быть 0..6, а не {like!r}")
        working_weekend[day] = like
    clash = set(off) & (shortened | set(working_weekend))
    if clash:
        raise CalendarDataError(f"{year}: дни одновременно выходные и рабочие: {sorted(map(str, clash))}")
    return _YearLayer(off=off, shortened=shortened, working_weekend=working_weekend)


@lru_cache(maxsize=1)
def _package_data() -> dict[str, Any]:
    text = resources.files("otklik.worktime").joinpath("data/ru_calendar.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class ProductionCalendar:
    """Immutable production calendar over a contiguous range of years."""

    def __init__(
        self,
        years: Mapping[int, Mapping[str, Any]],
        *,
        decree_nonworking: Mapping[int, Mapping[str, str]] | None = None,
        include_decree_nonworking: bool = False,
        overrides: Overrides | None = None,
        provisional_years: frozenset[int] = frozenset(),
    ) -> None:
        if not years:
            raise CalendarDataError("календарь без единого года")
        self._year_data = {int(y): dict(d) for y, d in years.items()}
        self._layers = {y: _parse_year(y, d) for y, d in self._year_data.items()}
        ordered = sorted(self._layers)
        if ordered != list(range(ordered[0], ordered[-1] + 1)):
            raise CalendarDataError(f"годы календаря должны идти подряд, а есть {ordered}")
        self.first_year = ordered[0]
        self.last_year = ordered[-1]
        self.first_date = dt.date(self.first_year, 1, 1)
        self.last_date = dt.date(self.last_year, 12, 31)
        # years whose data is not the Government calendar but `statutory_year_data` (the caller says so)
        self.provisional_years = frozenset(provisional_years) & set(self._layers)
        self._decree_raw = {int(y): dict(d) for y, d in (decree_nonworking or {}).items()}
        self._decree: dict[dt.date, str] = {}
        for y, days in self._decree_raw.items():
            for key, note in days.items():
                self._decree[_parse_md(y, key)] = note
        self.include_decree_nonworking = include_decree_nonworking
        self._overrides: dict[dt.date, DayOverride] = {}
        for when, value in (overrides or {}).items():
            day = self._coerce_date(when)
            if not self.first_date <= day <= self.last_date:
                raise CalendarRangeError(
                    f"переопределение на {day} вне лет календаря {self.first_year}–{self.last_year}: "
                    "добавьте этот год (extra_years)"
                )
            self._overrides[day] = DayOverride.coerce(value)
        self._days = [self._resolve(self.first_date + dt.timedelta(days=i)) for i in range(self._n_days())]

    # ----------------------------------------------------------------- construction helpers
    @classmethod
    def from_package(
        cls,
        *,
        include_decree_nonworking: bool = False,
        overrides: Overrides | None = None,
        extra_years: Mapping[int, Mapping[str, Any]] | None = None,
        provisional_years: frozenset[int] = frozenset(),
    ) -> ProductionCalendar:
        """The shipped Government calendar of the Russian Federation (2013–2027), optionally with the
        presidential non-working-days layer, extra years (replacing packaged ones) and per-day overrides."""
        data = _package_data()
        years: dict[int, Mapping[str, Any]] = {int(y): d for y, d in data["years"].items()}
        for year, year_data in (extra_years or {}).items():
            years[int(year)] = year_data
        decree = {int(y): d for y, d in data["decree_nonworking"].items()}
        return cls(
            years,
            decree_nonworking=decree,
            include_decree_nonworking=include_decree_nonworking,
            overrides=overrides,
            provisional_years=provisional_years,
        )

    def with_options(
        self,
        *,
        include_decree_nonworking: bool | None = None,
        overrides: Overrides | None = None,
    ) -> ProductionCalendar:
        """A copy with the decree layer switched and/or the overrides *replaced*."""
        return ProductionCalendar(
            self._year_data,
            decree_nonworking=self._decree_raw,
            include_decree_nonworking=(
                self.include_decree_nonworking
                if include_decree_nonworking is None
                else include_decree_nonworking
            ),
            overrides=self._overrides if overrides is None else overrides,
            provisional_years=self.provisional_years,
        )

    @staticmethod
    def _coerce_date(value: dt.date | str) -> dt.date:
        if isinstance(value, dt.datetime):
            raise CalendarDataError(f"ожидается дата, а не дата-время: {value!r}")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise CalendarDataError(f"неверная дата {value!r} (ожидается ГГГГ-ММ-ДД)") from None

    def _n_days(self) -> int:
        return (self.last_date - self.first_date).days + 1

    def _resolve(self, day: dt.date) -> DayInfo:
        weekday = day.weekday()
        default_like = weekday if weekday < 5 else 0
        layer = self._layers[day.year]
        if day in layer.off:
            info = DayInfo(day, DayKind.OFF, default_like, "calendar", layer.off[day] or "выходной")
        elif weekday < 5 or day in layer.working_weekend:
            like = layer.working_weekend.get(day, default_like)
            kind = DayKind.SHORTENED if day in layer.shortened else DayKind.WORKING
            note = ""
            if weekday >= 5:
                what = "рабочая суббота" if weekday == 5 else "рабочее воскресенье"
                note = f"{what} по переносу, часы как {_in_weekday(like)}"
            if kind is DayKind.SHORTENED:
                note = "предпраздничный день, на час короче" + (f"; {note}" if note else "")
            info = DayInfo(day, kind, like, "calendar" if (note or weekday >= 5) else "weekly", note)
        elif day in layer.shortened:  # shortened weekend day without an explicit working_weekend entry
            info = DayInfo(day, DayKind.SHORTENED, 0, "calendar", "предпраздничный рабочий выходной")
        else:
            info = DayInfo(day, DayKind.OFF, default_like, "weekly", "выходной")
        if self.include_decree_nonworking and day in self._decree and info.is_working:
            info = DayInfo(day, DayKind.OFF, info.hours_like, "decree", self._decree[day])
        override = self._overrides.get(day)
        if override is not None:
            like = override.hours_like if override.hours_like is not None else default_like
            note = (
                override.note
                or {
                    DayKind.OFF: "нерабочий день (решение администратора)",
                    DayKind.WORKING: "рабочий день (решение администратора)",
                    DayKind.SHORTENED: "сокращённый день (решение администратора)",
                }[override.kind]
            )
            info = DayInfo(day, override.kind, like, "override", note)
        return info

    # ----------------------------------------------------------------- queries
    def covers(self, day: dt.date) -> bool:
        return self.first_date <= day <= self.last_date

    def day(self, day: dt.date) -> DayInfo:
        """Resolved status of ``day``; raises :class:`CalendarRangeError` outside the covered years."""
        if isinstance(day, dt.datetime):
            day = day.date()
        if not self.covers(day):
            raise CalendarRangeError(
                f"дата {day} вне производственного календаря ({self.first_year}–{self.last_year})"
            )
        return self._days[(day - self.first_date).days]

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).is_working

    def days(self) -> list[DayInfo]:
        """All days of the covered range, in order."""
        return list(self._days)

    def decree_days(self) -> dict[dt.date, str]:
        """The presidential non-working-days layer (whether or not it is switched on)."""
        return dict(self._decree)

    def year_stats(self, year: int) -> YearStats:
        days = [self.day(dt.date(year, 1, 1) + dt.timedelta(days=i)) for i in range(_year_len(year))]
        working = sum(1 for d in days if d.is_working)
        shortened = sum(1 for d in days if d.kind is DayKind.SHORTENED)
        return YearStats(year=year, working_days=working, shortened_days=shortened)


# Labour Code of the Russian Federation, art. 112 part 1: the non-working public holidays.
_STATUTORY_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    *((1, d, "Новогодние каникулы") for d in (1, 2, 3, 4, 5, 6)),
    (1, 7, "Рождество Христово"),
    (1, 8, "Новогодние каникулы"),
    (2, 23, "День защитника Отечества"),
    (3, 8, "Международный женский день"),
    (5, 1, "Праздник Весны и Труда"),
    (5, 9, "День Победы"),
    (6, 12, "День России"),
    (11, 4, "День народного единства"),
)


def missing_statutory_holidays(calendar: ProductionCalendar, year: int) -> list[tuple[dt.date, str]]:
    """The public holidays of art. 112 of the Labour Code that `calendar` does not have as days off in `year`.
    Every Government calendar has all of them off (a holiday is never a working day, only the weekend days
    around it are moved), so a year without one was entered wrongly."""
    missing = []
    for month, day, name in _STATUTORY_HOLIDAYS:
        date = dt.date(year, month, day)
        if calendar.covers(date) and calendar.day(date).kind is not DayKind.OFF:
            missing.append((date, name))
    return missing


def statutory_year_data(year: int) -> dict[str, Any]:
    """A PROVISIONAL year (year-data format) for a year whose Government calendar is not loaded, from the
    Labour Code alone: the holidays of art. 112; a holiday other than 1–8 January that falls on a Saturday or
    Sunday moves the day off to the next working day (art. 112 part 2); the working day right before a
    holiday is one hour shorter (art. 95). The Government's own transfers (of the January weekend days) are
    unknown, so every reason says the year is provisional."""
    mark = f" (предварительно: календарь на {year} г. не загружен, по ст. 112 ТК РФ)"
    off: dict[dt.date, str] = {dt.date(year, m, d): name for m, d, name in _STATUTORY_HOLIDAYS}
    holidays = sorted(off)
    for day in holidays:
        if day.month == 1 or day.weekday() < 5:
            continue
        moved = day + dt.timedelta(days=1)
        while moved.weekday() >= 5 or moved in off:
            moved += dt.timedelta(days=1)
        if moved.year == year:
            off[moved] = f"перенесённый выходной (с {day:%d.%m.%Y})"
    shortened = []
    for day in holidays:
        before = day - dt.timedelta(days=1)
        if before.year == year and before.weekday() < 5 and before not in off:
            shortened.append(before)
    return {
        "off": {f"{d:%m-%d}": reason + mark for d, reason in sorted(off.items())},
        "shortened": [f"{d:%m-%d}" for d in sorted(shortened)],
        "working_weekend": {},
    }


def _year_len(year: int) -> int:
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def _in_weekday(weekday: int) -> str:
    """«во вторник», «в среду»: the preposition as Russian says it before the day."""
    return ("в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу", "в воскресенье")[
        weekday
    ]
