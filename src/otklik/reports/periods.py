"""Report periods in Moscow time: a month, a quarter, or any [start, end) span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

MSK = ZoneInfo("Europe/Moscow")

# Reports are built for these years only: the regulation dates from 2020, and dates far outside this range
# (year 1, year 9999) overflow the neighbouring periods that the reports compare with.
MIN_YEAR = 2000
MAX_YEAR = 2100
OUT_OF_RANGE = f"Отчёты строятся за {MIN_YEAR}–{MAX_YEAR} годы; период «{{text}}» вне этого диапазона."

MONTHS_RU = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime  # exclusive
    label: str
    key: str

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(seconds=1)).astimezone(MSK).date()


def _at(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=MSK)


def month(year: int, m: int) -> Period:
    start = date(year, m, 1)
    end = date(year + (m == 12), m % 12 + 1, 1)
    return Period(_at(start), _at(end), f"{MONTHS_RU[m - 1]} {year}", f"{year}-{m:02d}")


def _check_years(text: str, *years: int) -> None:
    if any(not MIN_YEAR <= y <= MAX_YEAR for y in years):
        raise ValueError(OUT_OF_RANGE.format(text=text))


def parse_month(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"Месяц указывается как ГГГГ-ММ, например 2026-10, а не «{text}».")
    _check_years(text.strip(), int(match[1]))
    return month(int(match[1]), int(match[2]))


def previous_month(p: Period) -> Period:
    d = p.start.date() - timedelta(days=1)
    return month(d.year, d.month)


def year_before(p: Period) -> Period:
    return month(p.start.year - 1, p.start.month)


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    end = date(year + (q == 4), (3 * q) % 12 + 1, 1)
    return Period(_at(start), _at(end), f"{q} квартал {year}", f"{year}Q{q}")


def parse_quarter(text: str) -> Period:
    match = re.fullmatch(r"(\d{4})\s*[QqКк]([1-4])", text.strip())
    if not match:
        raise ValueError(f"Квартал указывается как ГГГГQN, например 2026Q3, а не «{text}».")
    _check_years(text.strip(), int(match[1]))
    return quarter(int(match[1]), int(match[2]))


def quarter_of(d: date) -> Period:
    return quarter(d.year, (d.month - 1) // 3 + 1)


def previous_quarter(p: Period) -> Period:
    q = (p.start.month - 1) // 3 + 1
    return quarter(p.start.year - 1, 4) if q == 1 else quarter(p.start.year, q - 1)


def next_quarter(p: Period) -> Period:
    return quarter_of(p.end.date())


def span(first: date, last: date) -> Period:
    """Days `first` … `last` inclusive."""
    if last < first:
        raise ValueError("Конец периода раньше начала.")
    _check_years(f"{first:%d.%m.%Y} — {last:%d.%m.%Y}", first.year, last.year)
    return Period(
        _at(first),
        _at(last + timedelta(days=1)),
        f"{first:%d.%m.%Y} — {last:%d.%m.%Y}",
        f"{first:%Y-%m-%d}_{last:%Y-%m-%d}",
    )


def parse_day(text: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if not match:
        raise ValueError(f"Даты указываются как ГГГГ-ММ-ДД, например 2026-10-01, а не «{text}».")
    _check_years(text.strip(), int(match[1]))
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as e:
        raise ValueError(f"Такой даты нет: «{text.strip()}».") from e


def parse_span(first: str, last: str) -> Period:
    """The days `first` … `last` given as ГГГГ-ММ-ДД, with a Russian message for any mistake."""
    return span(parse_day(first), parse_day(last))
