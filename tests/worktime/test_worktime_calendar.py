"""Production calendar data, layers and the CLI (working time applies to every R- duration)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pytest

from otklik.worktime import (
    CalendarDataError,
    CalendarRangeError,
    DayKind,
    ProductionCalendar,
    WeeklySchedule,
    WorkTime,
)
from otklik.worktime.cli import main

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MSK = ZoneInfo("Europe/Moscow")
TOTALS = {int(r["year"]): r for r in csv.DictReader((HERE / "data" / "annual_totals.csv").open())}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str, **kwargs: object) -> tuple[int, str, str]:
    code = main(list(argv), **kwargs)  # type: ignore[arg-type]
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- yearly totals via the CLI
@pytest.mark.parametrize("year", sorted(TOTALS))
def test_cli_year_matches_annual_totals_government_calendar(
    capsys: pytest.CaptureFixture[str], year: int
) -> None:
    """Default (Government) calendar: 2020/2021 use the official Postanovlenie totals (248/1979, 247/1972)."""
    code, out, err = run_cli(capsys, "year", str(year))
    assert code == 0, err
    assert out.count("\n") == 1
    data = json.loads(out)
    row = TOTALS[year]
    if row["official_postanovlenie_workdays"]:
        expected = (int(row["official_postanovlenie_workdays"]), int(row["official_postanovlenie_hours40"]))
    else:
        expected = (int(row["xmlcalendar_workdays"]), int(row["xmlcalendar_hours40"]))
    assert (data["working_days"], data["hours_40h"]) == expected
    assert set(data) == {"year", "working_days", "hours_40h", "shortened_days", "schedule_minutes"}
    assert data["year"] == year


@pytest.mark.parametrize("year", sorted(TOTALS))
def test_cli_year_with_decree_layer_matches_xmlcalendar(
    capsys: pytest.CaptureFixture[str], year: int
) -> None:
    """Decree layer ON: 2020 = 219/1749, 2021 = 240/1917 (xmlcalendar columns), other years unchanged."""
    code, out, _ = run_cli(capsys, "year", str(year), "--with-decree-nonworking")
    assert code == 0
    data = json.loads(out)
    row = TOTALS[year]
    assert data["working_days"] == int(row["xmlcalendar_workdays"])
    assert data["hours_40h"] == int(row["xmlcalendar_hours40"])
    assert data["shortened_days"] == int(row["xmlcalendar_short_days"])


def test_cli_year_2024_exact_line(capsys: pytest.CaptureFixture[str]) -> None:
    """2024: 248 days, 1979 h; default schedule: 8 h 15 min Mon–Thu, 7 h Fri, shortened days −1 h."""
    _, out, _ = run_cli(capsys, "year", "2024")
    data = json.loads(out)
    assert data == {
        "year": 2024,
        "working_days": 248,
        "hours_40h": 1979,
        "shortened_days": 5,
        "schedule_minutes": data["schedule_minutes"],
    }
    wt = WorkTime(ProductionCalendar.from_package(), WeeklySchedule.default())
    expected = 0
    for info in wt.calendar.days():
        if info.date.year == 2024 and info.is_working:
            expected += 420 if info.hours_like == 4 else 495
            expected -= 60 if info.kind is DayKind.SHORTENED else 0
    assert data["schedule_minutes"] == expected


def test_cli_add_and_between(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "add", "--start", "2024-12-28T17:00:00+03:00", "--minutes", "540")
    assert (code, out) == (0, "2025-01-09T17:45:00+03:00\n")
    code, out, _ = run_cli(capsys, "between", "2024-12-28T17:00:00+03:00", "2025-01-09T17:45:00+03:00")
    assert (code, out) == (0, "540\n")
    code, out, _ = run_cli(capsys, "add-days", "--start", "2025-12-26T15:00:00+03:00", "--days", "7")
    assert (code, out) == (0, "2026-01-16T16:45:00+03:00\n")
    code, out, _ = run_cli(
        capsys,
        "add",
        "--start",
        "2020-03-27T16:00:00+03:00",
        "--minutes",
        "60",
        "--with-decree-nonworking",
        "--schedule",
        "default",
    )
    assert (code, out) == (0, "2020-05-12T09:15:00+03:00\n")
    code, out, _ = run_cli(capsys, "explain", "2024-12-28T17:00:00+03:00", "2025-01-09T17:45:00+03:00")
    assert code == 0 and "Итого" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "--start", "2024-12-28T17:00:00", "--minutes", "5"],  # naive
        ["add", "--start", "вчера", "--minutes", "5"],
        ["add", "--start", "2024-12-28T17:00:00+03:00", "--minutes", "-5"],
        ["add", "--start", "2024-12-28T17:00:00+03:00"],
        ["between", "2024-12-28T17:00:00+03:00"],
        ["year", "abc"],
        ["year", "2031"],
        ["add", "--start", "2031-01-01T10:00:00+03:00", "--minutes", "5"],
        ["year", "2024", "--schedule", "night"],
        ["year", "2024", "--body", "7"],
        ["frobnicate"],
        [],
    ],
)
def test_cli_bad_input_exit_2_russian(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("ошибка:")


def test_cli_body_accepted_when_schedule_injected(capsys: pytest.CaptureFixture[str]) -> None:
    """The Django command resolves --body to a schedule and passes it in."""
    sched = WeeklySchedule.from_intervals({d: [("08:00", "12:00")] for d in range(5)})
    code, out, _ = run_cli(
        capsys,
        "add",
        "--start",
        "2025-03-10T11:00:00+03:00",
        "--minutes",
        "120",
        "--body",
        "7",
        schedule=sched,
    )
    assert (code, out) == (0, "2025-03-11T09:00:00+03:00\n")


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "worktime" in out


def test_python_dash_m() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "otklik.worktime", "year", "2026"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["working_days"] == 247


# --------------------------------------------------------------------------- against the holidays package
@pytest.mark.parametrize("year", range(2023, 2028))
def test_working_days_agree_with_holidays_package(calendar: ProductionCalendar, year: int) -> None:
    """holidays' RU calendar (holidays + weekends, with transfers and working weekends) 2023–2027."""
    ru = holidays.country_holidays("RU", years=year)
    day = dt.date(year, 1, 1)
    mismatches = []
    while day.year == year:
        if calendar.is_working_day(day) != ru.is_working_day(day):
            mismatches.append(day)
        day += dt.timedelta(days=1)
    assert mismatches == []


# --------------------------------------------------------------------------- layers
def test_decree_layer_is_off_by_default(calendar: ProductionCalendar) -> None:
    assert calendar.day(dt.date(2020, 4, 15)).kind is DayKind.WORKING
    assert calendar.day(dt.date(2020, 4, 30)).kind is DayKind.SHORTENED  # Government calendar
    decree = calendar.with_options(include_decree_nonworking=True)
    info = decree.day(dt.date(2020, 4, 15))
    assert info.kind is DayKind.OFF and info.source == "decree" and "Указ" in info.note
    layer = calendar.decree_days()
    assert dt.date(2020, 3, 30) in layer and dt.date(2020, 5, 8) in layer
    assert dt.date(2020, 6, 24) in layer and dt.date(2020, 7, 1) in layer
    assert {d for d in layer if d.year == 2021} == {
        dt.date(2021, 5, 4),
        dt.date(2021, 5, 5),
        dt.date(2021, 5, 6),
        dt.date(2021, 5, 7),
        dt.date(2021, 11, 1),
        dt.date(2021, 11, 2),
        dt.date(2021, 11, 3),
    }  # 30–31.10.2021 were weekends anyway, 04–05.11 holidays/moved days already


def test_overrides() -> None:
    cal = ProductionCalendar.from_package(
        overrides={
            dt.date(2025, 11, 5): "off",
            "2025-11-08": {"kind": "working", "hours_like": 4, "note": "субботник"},
            dt.date(2025, 11, 6): {"kind": "shortened"},
        }
    )
    wt = WorkTime(cal)
    assert cal.day(dt.date(2025, 11, 5)).kind is DayKind.OFF
    assert cal.day(dt.date(2025, 11, 8)).note == "субботник"
    assert wt.between(dt.datetime(2025, 11, 8, tzinfo=MSK), dt.datetime(2025, 11, 9, tzinfo=MSK)) == 420
    assert wt.between(dt.datetime(2025, 11, 6, tzinfo=MSK), dt.datetime(2025, 11, 7, tzinfo=MSK)) == 435
    assert wt.add(dt.datetime(2025, 11, 1, 16, 59, tzinfo=MSK), 2) == dt.datetime(
        2025, 11, 6, 9, 1, tzinfo=MSK
    )
    with pytest.raises(CalendarDataError):
        ProductionCalendar.from_package(overrides={dt.date(2025, 1, 1): "holiday"})
    with pytest.raises(CalendarDataError):
        ProductionCalendar.from_package(overrides={dt.date(2025, 1, 1): {"kind": "working", "hours_like": 9}})
    with pytest.raises(CalendarRangeError):
        ProductionCalendar.from_package(overrides={dt.date(2035, 1, 1): "off"})


def test_extra_years() -> None:
    cal = ProductionCalendar.from_package(
        extra_years={2028: {"off": {"01-03": "Новогодние каникулы"}, "shortened": ["12-29"]}}
    )
    assert cal.last_year == 2028
    stats = cal.year_stats(2028)
    assert stats.working_days == 260 - 1 and stats.shortened_days == 1
    wt = WorkTime(cal)
    assert wt.add(dt.datetime(2027, 12, 31, 16, 0, tzinfo=MSK), 120).date() == dt.date(2028, 1, 4)
    with pytest.raises(CalendarDataError, match="подряд"):
        ProductionCalendar.from_package(extra_years={2030: {}})
    with pytest.raises(CalendarDataError):
        ProductionCalendar.from_package(extra_years={2028: {"off": ["02-30"]}})
    with pytest.raises(CalendarDataError):
        ProductionCalendar.from_package(extra_years={2028: {"working_weekend": {"01-05": 0}}})  # a Wednesday


def test_packaged_data_facts(calendar: ProductionCalendar) -> None:
    assert (calendar.first_year, calendar.last_year) == (2013, 2027)
    assert calendar.day(dt.date(2024, 12, 28)).kind is DayKind.WORKING
    assert calendar.day(dt.date(2024, 12, 30)).kind is DayKind.OFF
    assert "28.12.2024" in calendar.day(dt.date(2024, 12, 30)).note
    assert calendar.day(dt.date(2026, 1, 9)).kind is DayKind.OFF
    assert calendar.day(dt.date(2018, 4, 28)).kind is DayKind.SHORTENED  # working Saturday, no `f` in XML
    assert calendar.day(dt.date(2018, 4, 28)).hours_like == 0


SHARED = [Path("/work/shared/data/calendar"), ROOT.parent / "shared" / "data" / "calendar"]


@pytest.mark.skipif(not any(p.is_dir() for p in SHARED), reason="source calendar data not available")
def test_packaged_file_is_built_from_sources() -> None:
    """scripts/build_calendar.py --check rebuilds from XML + Consultant cross-check; the file must match."""
    source = next(p for p in SHARED if p.is_dir())
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_calendar.py"), "--check", "--source", str(source)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
