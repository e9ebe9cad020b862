"""Command line of the working-time engine (stable interface: other checks use it).

::

    worktime year 2024 [--with-decree-nonworking]
    worktime add --start 2024-12-28T17:00:00+03:00 --minutes 540
    worktime between 2024-12-28T17:00:00+03:00 2025-01-09T17:45:00+03:00
    worktime add-days --start 2024-12-27T10:00:00+03:00 --days 7
    worktime explain A B
    worktime day 2025-11-01

Common options (after the sub-command): ``--schedule default``, ``--body ID`` (needs the database: only the
Django management command ``otklik worktime`` handles it and passes the body's schedule into :func:`main`),
``--with-decree-nonworking``.  Output: one line (JSON for ``year``).  Bad input → a Russian message on
stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import NoReturn

from otklik.argparse_ru import RussianMessages

from .calendar import CalendarDataError, CalendarRangeError, ProductionCalendar
from .engine import WorkTime
from .schedule import ScheduleError, WeeklySchedule

__all__ = ["main"]


class _CliError(Exception):
    pass


class _Parser(RussianMessages):
    def error(self, message: str) -> NoReturn:
        raise _CliError(f"неверные аргументы: {self.russian(message)}\n{self.format_usage().strip()}")


def _moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"не дата-время ISO 8601: {text!r} (пример: 2024-12-28T17:00:00+03:00)"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f"укажите часовой пояс в {text!r} (например, +03:00)")
    return value


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ожидается целое число, а не {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"число не может быть отрицательным: {value}")
    return value


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"год должен быть числом, а не {text!r}") from None
    if not dt.MINYEAR <= value < dt.MAXYEAR:
        raise argparse.ArgumentTypeError(f"год {text} вне допустимого диапазона (пример: 2024)")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"нет такой даты: {text!r} (пример: 2025-11-01)") from None


def _build_parser() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument("--schedule", default=None, help="график: только 'default'")
    common.add_argument(
        "--body", default=None, help="ID органа (нужна база данных: команда 'otklik worktime')"
    )
    common.add_argument(
        "--with-decree-nonworking",
        action="store_true",
        help="учитывать нерабочие дни по указам Президента 2020–2021",
    )
    parser = _Parser(prog="worktime", description="Рабочее время по производственному календарю РФ")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("year", parents=[common], help="итоги года (JSON)")
    p.add_argument("year", type=_year)
    p = sub.add_parser("add", parents=[common], help="срок: начало + N рабочих минут")
    p.add_argument("--start", type=_moment, required=True)
    p.add_argument("--minutes", type=_nonneg_int, required=True)
    p = sub.add_parser("between", parents=[common], help="рабочие минуты между A и B")
    p.add_argument("a", type=_moment)
    p.add_argument("b", type=_moment)
    p = sub.add_parser("add-days", parents=[common], help="конец N-го рабочего дня после даты начала (R-8.8)")
    p.add_argument("--start", type=_moment, required=True)
    p.add_argument("--days", type=_nonneg_int, required=True)
    p = sub.add_parser("explain", parents=[common], help="какие интервалы засчитаны между A и B")
    p.add_argument("a", type=_moment)
    p.add_argument("b", type=_moment)
    p = sub.add_parser("day", parents=[common], help="описание дня")
    p.add_argument("date", type=_date)
    return parser


def main(
    argv: list[str] | None = None,
    schedule: WeeklySchedule | None = None,
    calendar: ProductionCalendar | None = None,
) -> int:
    """Run the CLI; returns the exit code (0 ok, 2 bad input). ``schedule``/``calendar`` are injected by
    the Django management command (e.g. the schedule of ``--body``)."""
    parser = _build_parser()
    try:
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help
            return int(exc.code or 0)
        if args.schedule not in (None, "default"):
            raise _CliError(f"неизвестный график {args.schedule!r}: доступен только 'default'")
        if args.body is not None and schedule is None:
            raise _CliError(
                "--body требует базы данных: запустите через команду Django 'otklik worktime ... --body ID'"
            )
        if args.schedule == "default" or schedule is None:
            schedule = WeeklySchedule.default()
        if calendar is None:
            calendar = ProductionCalendar.from_package(include_decree_nonworking=args.with_decree_nonworking)
        elif args.with_decree_nonworking:
            calendar = calendar.with_options(include_decree_nonworking=True)
        engine = WorkTime(calendar, schedule)
        out = _run(engine, args)
    except _CliError as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    except (CalendarRangeError, CalendarDataError, ScheduleError, ValueError, TypeError) as exc:
        print(f"ошибка: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


def _run(engine: WorkTime, args: argparse.Namespace) -> str:
    command: str = args.command
    if command == "year":
        year: int = args.year
        stats = engine.calendar.year_stats(year)
        return json.dumps(
            {
                "year": year,
                "working_days": stats.working_days,
                "hours_40h": stats.hours_40h,
                "shortened_days": stats.shortened_days,
                "schedule_minutes": engine.year_minutes(year),
            },
            ensure_ascii=False,
        )
    if command == "add":
        return engine.add(args.start, args.minutes).isoformat()
    if command == "between":
        return str(engine.between(args.a, args.b))
    if command == "add-days":
        return engine.add_working_days(args.start, args.days).isoformat()
    if command == "explain":
        return engine.explain_ru(args.a, args.b)
    if command == "day":
        return engine.describe_day(args.date)
    raise _CliError(f"неизвестная команда {command!r}")  # pragma: no cover
