"""Weekly working schedule (график работы органа): per-weekday working intervals in a time zone."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["WEEKDAY_KEYS", "Interval", "ScheduleError", "WeeklySchedule"]

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_RU = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")
WEEKDAY_SHORT_RU = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")
KEYS_EXPLAINED = ", ".join(f'"{key}" — {name}' for key, name in zip(WEEKDAY_KEYS, _WEEKDAY_RU, strict=True))
FIELDS = ("week", "timezone", "preholiday_cut_minutes")

Interval = tuple[int, int]
"""A working interval as (start, end) minutes from local midnight, 0 <= start < end <= 1440."""


class ScheduleError(ValueError):
    """Invalid schedule (the message is in Russian, suitable for an admin form)."""


def format_hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _shown(value: object) -> str:
    """A value as typed in the JSON, for a message."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def parse_hhmm(value: object, where: str) -> int:
    if not isinstance(value, str):
        raise ScheduleError(
            f'{where}: время {_shown(value)} нужно записать строкой ЧЧ:ММ в кавычках, например "09:00"'
        )
    parts = value.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ScheduleError(
            f'{where}: время "{value}" не в формате ЧЧ:ММ (две цифры часов и минут, например "09:00")'
        )
    hours, minutes = int(parts[0]), int(parts[1])
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise ScheduleError(f'{where}: недопустимое время "{value}" (часы от 00 до 24, минуты от 00 до 59)')
    return hours * 60 + minutes


@dataclass(frozen=True)
class WeeklySchedule:
    """Working hours for each weekday (0 = Monday) as sorted, non-overlapping (start, end) minute intervals.

    ``preholiday_cut_minutes`` of working time are cut at the END of a shortened (pre-holiday) day.
    """

    week: tuple[tuple[Interval, ...], ...]
    timezone: str = "Europe/Moscow"
    preholiday_cut_minutes: int = 60

    def __post_init__(self) -> None:
        if len(self.week) != 7:
            raise ScheduleError("график должен содержать 7 дней недели")
        normalised = []
        for weekday, intervals in enumerate(self.week):
            where = f'{_WEEKDAY_RU[weekday]} ("{WEEKDAY_KEYS[weekday]}")'
            items = sorted((int(s), int(e)) for s, e in intervals)
            for start, end in items:
                if not (0 <= start <= 1440 and 0 <= end <= 1440):
                    raise ScheduleError(f"{where}: интервал вне суток")
                if end <= start:
                    raise ScheduleError(
                        f"{where}: интервал {format_hhmm(start)}–{format_hhmm(end)}: конец не позже начала"
                    )
            for (s1, e1), (s2, e2) in pairwise(items):
                if s2 < e1:
                    raise ScheduleError(
                        f"{where}: интервалы {format_hhmm(s1)}–{format_hhmm(e1)} и "
                        f"{format_hhmm(s2)}–{format_hhmm(e2)} пересекаются"
                    )
            normalised.append(tuple(items))
        object.__setattr__(self, "week", tuple(normalised))
        if not any(self.week):
            raise ScheduleError("в графике нет ни одного рабочего интервала")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ScheduleError(
                f'неизвестный часовой пояс "{self.timezone}" (нужно название из базы часовых поясов, например '
                '"Europe/Moscow")'
            ) from None
        if isinstance(self.preholiday_cut_minutes, bool) or not isinstance(self.preholiday_cut_minutes, int):
            raise ScheduleError(
                f'"preholiday_cut_minutes" должно быть целым числом минут, а не {_shown(self.preholiday_cut_minutes)}'
            )
        if not 0 <= self.preholiday_cut_minutes <= 1440:
            raise ScheduleError('"preholiday_cut_minutes" должно быть от 0 до 1440 минут')

    # ------------------------------------------------------------------ constructors
    @classmethod
    def default(cls) -> WeeklySchedule:
        """Mon–Thu 09:00–18:00, Fri 09:00–16:45, lunch 13:00–13:45, Europe/Moscow."""
        long_day = ((9 * 60, 13 * 60), (13 * 60 + 45, 18 * 60))
        friday = ((9 * 60, 13 * 60), (13 * 60 + 45, 16 * 60 + 45))
        return cls(week=(long_day, long_day, long_day, long_day, friday, (), ()))

    @classmethod
    def from_intervals(
        cls,
        week: Mapping[int | str, Iterable[Sequence[str]]],
        timezone: str = "Europe/Moscow",
        preholiday_cut_minutes: int = 60,
    ) -> WeeklySchedule:
        """Build from ``{weekday: [("09:00", "13:00"), ...]}``; weekday as 0..6 or ``"mon"``..``"sun"``."""
        return cls.from_dict(
            {
                "timezone": timezone,
                "preholiday_cut_minutes": preholiday_cut_minutes,
                "week": {(WEEKDAY_KEYS[k] if isinstance(k, int) else k): list(v) for k, v in week.items()},
            }
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WeeklySchedule:
        """Inverse of :meth:`to_dict`; raises :class:`ScheduleError` with a Russian message."""
        if not isinstance(data, Mapping):
            raise ScheduleError('график должен быть объектом JSON в фигурных скобках: {"week": {…}}')
        unknown = [str(k) for k in data if k not in FIELDS]
        if unknown:
            raise ScheduleError(
                f"неизвестные поля графика: {', '.join(_shown(k) for k in unknown)} (допустимо: "
                '"week" — часы по дням недели, "timezone" — часовой пояс, "preholiday_cut_minutes" — на сколько '
                "минут короче предпраздничный день)"
            )
        week_raw = data.get("week")
        if not isinstance(week_raw, Mapping):
            raise ScheduleError(
                'поле "week" должно быть объектом с часами по дням недели: {"mon": [["09:00", "18:00"]], …}'
            )
        bad = [str(k) for k in week_raw if k not in WEEKDAY_KEYS]
        if bad:
            raise ScheduleError(
                f"неизвестные дни недели: {', '.join(_shown(k) for k in bad)} (допустимо: {KEYS_EXPLAINED})"
            )
        week: list[tuple[Interval, ...]] = []
        for weekday, key in enumerate(WEEKDAY_KEYS):
            where = f'{_WEEKDAY_RU[weekday]} ("{key}")'
            raw = week_raw.get(key, [])
            if raw is None:
                raw = []
            if not isinstance(raw, list | tuple):
                raise ScheduleError(
                    f'{where}: ожидается список интервалов, например [["09:00", "13:00"], ["13:45", "18:00"]], '
                    f"а не {_shown(raw)}"
                )
            intervals = []
            for item in raw:
                if not isinstance(item, list | tuple) or len(item) != 2:
                    raise ScheduleError(
                        f'{where}: интервал {_shown(item)} должен быть парой ["начало", "конец"], например '
                        '["09:00", "13:00"]'
                    )
                intervals.append((parse_hhmm(item[0], where), parse_hhmm(item[1], where)))
            week.append(tuple(intervals))
        timezone = data.get("timezone", "Europe/Moscow")
        if not isinstance(timezone, str):
            raise ScheduleError('часовой пояс "timezone" должен быть строкой, например "Europe/Moscow"')
        cut = data.get("preholiday_cut_minutes", 60)
        return cls(week=tuple(week), timezone=timezone, preholiday_cut_minutes=cut)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-compatible form (for a JSONField)."""
        return {
            "timezone": self.timezone,
            "preholiday_cut_minutes": self.preholiday_cut_minutes,
            "week": {
                key: [[format_hhmm(s), format_hhmm(e)] for s, e in self.week[i]]
                for i, key in enumerate(WEEKDAY_KEYS)
            },
        }

    # ------------------------------------------------------------------ queries
    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def day_intervals(self, weekday: int, shortened: bool = False) -> tuple[Interval, ...]:
        """Intervals of a day with the hours of ``weekday``; a shortened day loses
        ``preholiday_cut_minutes`` at its end (the last interval(s) are cut)."""
        intervals = self.week[weekday]
        if not shortened:
            return intervals
        cut = self.preholiday_cut_minutes
        result = list(intervals)
        while cut > 0 and result:
            start, end = result[-1]
            if end - start > cut:
                result[-1] = (start, end - cut)
                break
            cut -= end - start
            result.pop()
        return tuple(result)

    def describe_ru(self) -> str:
        """The hours in a line of Russian, consecutive days with the same hours together: «пн–чт 08:00–12:00,
        12:45–17:00; пт 08:00–12:00, 12:45–15:45»."""
        parts: list[str] = []
        day = 0
        while day < 7:
            last = day
            while last + 1 < 7 and self.week[last + 1] == self.week[day]:
                last += 1
            if self.week[day]:
                days = WEEKDAY_SHORT_RU[day] + (f"–{WEEKDAY_SHORT_RU[last]}" if last > day else "")
                hours = ", ".join(f"{format_hhmm(s)}–{format_hhmm(e)}" for s, e in self.week[day])
                parts.append(f"{days} {hours}")
            day = last + 1
        text = "; ".join(parts)
        if self.timezone != "Europe/Moscow":
            text += f" ({self.timezone})"
        return text

    def day_minutes(self, weekday: int, shortened: bool = False) -> int:
        return sum(e - s for s, e in self.day_intervals(weekday, shortened))
