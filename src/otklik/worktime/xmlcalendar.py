"""Parser for the xmlcalendar.ru production-calendar XML format (no Django, stdlib only).

Format: ``<day d="MM.DD" t="1|2|3" h="holiday-id" f="MM.DD"/>`` — t=1 day off, t=2 shortened pre-holiday
working day (−1 h), t=3 working Saturday/Sunday; unlisted Sat/Sun are days off, unlisted Mon–Fri are working
days; ``f`` is the date the day off was transferred FROM.

The result is a *year-data* mapping in the package format (see :mod:`otklik.worktime.calendar`)::

    {"off": {"MM-DD": "reason", ...}, "shortened": ["MM-DD", ...], "working_weekend": {"MM-DD": weekday}}

It is used by ``scripts/build_calendar.py`` and may be used by administrators to import a new year.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

__all__ = ["XmlDay", "XmlYear", "parse_xmlcalendar"]


@dataclass(frozen=True)
class XmlDay:
    """One ``<day>`` element."""

    date: dt.date
    t: int
    holiday: str | None = None
    transferred_from: dt.date | None = None


@dataclass(frozen=True)
class XmlYear:
    """A parsed ``calendar.xml`` of one year."""

    year: int
    days: dict[dt.date, XmlDay] = field(default_factory=dict)

    def effective_kind(self, day: dt.date) -> str:
        """``"off"``, ``"shortened"`` or ``"working"`` for any date of the year."""
        entry = self.days.get(day)
        if entry is None:
            return "off" if day.weekday() >= 5 else "working"
        if entry.t == 1:
            return "off"
        if entry.t == 2:
            return "shortened"
        return "working"

    def all_dates(self) -> list[dt.date]:
        first = dt.date(self.year, 1, 1)
        count = (dt.date(self.year + 1, 1, 1) - first).days
        return [first + dt.timedelta(days=i) for i in range(count)]

    def off_reason(self, day: dt.date) -> str:
        """Human-readable (Russian) reason of a listed day off; ``""`` if none is recorded."""
        entry = self.days.get(day)
        if entry is None or entry.t != 1:
            return ""
        if entry.holiday:
            return entry.holiday
        if entry.transferred_from is not None:
            return f"перенесённый выходной (с {entry.transferred_from:%d.%m.%Y})"
        if day.weekday() < 5:
            return "перенесённый выходной"
        return ""

    def to_year_data(self) -> dict[str, object]:
        """Convert to the compact package year-data format."""
        off: dict[str, str] = {}
        shortened: list[str] = []
        working_weekend: dict[str, int] = {}
        # weekend day made working -> weekday of the day off transferred from it
        moved_to: dict[dt.date, int] = {}
        for entry in self.days.values():
            if entry.t == 1 and entry.transferred_from is not None:
                moved_to.setdefault(entry.transferred_from, entry.date.weekday())
        for day in sorted(self.days):
            entry = self.days[day]
            key = f"{day:%m-%d}"
            if entry.t == 1:
                reason = self.off_reason(day)
                if day.weekday() < 5 or reason:
                    off[key] = reason
            else:
                if entry.t == 2:
                    shortened.append(key)
                if day.weekday() >= 5:
                    working_weekend[key] = moved_to.get(day, 0)
        return {"off": off, "shortened": shortened, "working_weekend": working_weekend}


_EDITION = re.compile(r"\s*\(в ред\.[^)]*\)")


_NUMBER = re.compile(r"\s*\d+\s*")


def _parse_md(year: int, text: str, what: str) -> dt.date:
    parts = text.split(".")
    if len(parts) != 2 or not all(_NUMBER.fullmatch(part) for part in parts):
        raise ValueError(
            f"xmlcalendar {year}: дата {what}=«{text}»: месяц и день должны быть числами через точку (ММ.ДД)"
        )
    month, day = (int(part) for part in parts)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"xmlcalendar {year}: дата {what}=«{text}»: такого дня нет в {year} году") from exc


def parse_xmlcalendar(source: str | bytes) -> XmlYear:
    """Parse the text of one xmlcalendar ``calendar.xml``; raises ``ValueError`` with a Russian reason on malformed
    data (``xml.etree.ElementTree.ParseError`` when the text is not well-formed XML)."""
    root = ET.fromstring(source)  # noqa: S314 - trusted local data
    if root.tag != "calendar" or root.get("year") is None:
        raise ValueError("xmlcalendar: корневой элемент должен быть <calendar year=...>")
    year_text = root.get("year", "")
    if not _NUMBER.fullmatch(year_text):
        raise ValueError(f"xmlcalendar: год «{year_text}» в <calendar year=...> — не число")
    year = int(year_text)
    titles = {h.get("id", ""): _EDITION.sub("", h.get("title") or "").strip() for h in root.iter("holiday")}
    days: dict[dt.date, XmlDay] = {}
    for node in root.iter("day"):
        day = _parse_md(year, node.get("d", ""), "d")
        t_text = node.get("t", "0")
        if not _NUMBER.fullmatch(t_text):
            raise ValueError(
                f"xmlcalendar {year}: день {day:%d.%m.%Y}: тип дня t=«{t_text}» — не число (нужно 1, 2 или 3)"
            )
        t = int(t_text)
        if t not in (1, 2, 3):
            raise ValueError(
                f"xmlcalendar {year}: день {day:%d.%m.%Y}: неизвестный тип дня t={t} (нужно 1, 2 или 3)"
            )
        if t == 3 and day.weekday() < 5:
            raise ValueError(
                f"xmlcalendar {year}: день {day:%d.%m.%Y}: t=3 (рабочий выходной) на будний день"
            )
        hid = node.get("h")
        f = node.get("f")
        if day in days:
            raise ValueError(f"xmlcalendar {year}: день {day:%d.%m.%Y} указан дважды")
        days[day] = XmlDay(
            date=day,
            t=t,
            holiday=titles.get(hid) if hid else None,
            transferred_from=_parse_md(year, f, "f") if f else None,
        )
    return XmlYear(year=year, days=days)
