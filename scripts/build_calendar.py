#!/usr/bin/env python3
"""Build ``src/otklik/worktime/data/ru_calendar.json`` from the xmlcalendar XML files.

Usage::

    python scripts/build_calendar.py [--source /work/shared/data/calendar] [--check]

* Years 2013–2027 from ``ru_<year>.xml``; for 2020 and 2021 the Government calendar as approved before the
  presidential decrees (``ru_2020_official_before_covid_decrees.xml``,
  ``ru_2021_official_before_nonworking_decrees.xml``) is the base, and the decree "нерабочие дни" layer is the
  difference with ``ru_2020.xml`` / ``ru_2021.xml``.
* Cross-checks every year against the independent Consultant-derived JSON
  (``consultant/consultant<year>.json``)
  and the annual totals CSV; any disagreement aborts with exit code 1.
* Copies ``annual_totals_computed.csv`` to ``tests/worktime/data/annual_totals.csv``.
* ``--check``: build in memory and fail if the shipped file differs (nothing is written).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from otklik.worktime.xmlcalendar import XmlYear, parse_xmlcalendar  # noqa: E402

YEARS = range(2013, 2028)
BASE_FILES = {
    2020: "ru_2020_official_before_covid_decrees.xml",
    2021: "ru_2021_official_before_nonworking_decrees.xml",
}
OUT = ROOT / "src/otklik/worktime/data/ru_calendar.json"
TOTALS_OUT = ROOT / "tests/worktime/data/annual_totals.csv"

# Consultant's 2020 file was re-edited after the decrees: 2020-07-01 moved from "nowork" to "holidays" and the
# pre-decree shortened days 04-30 / 05-08 were dropped.  These are the ONLY differences tolerated between the
# Government (pre-decree) calendar and "Consultant minus nowork"; see data SOURCE.md.
KNOWN_2020_BASE_DIFF = {
    dt.date(2020, 7, 1): ("working", "off"),
    dt.date(2020, 4, 30): ("shortened", "working"),
    dt.date(2020, 5, 8): ("shortened", "working"),
}


class BuildError(Exception):
    pass


def load_xml(source: Path, name: str) -> XmlYear:
    return parse_xmlcalendar((source / name).read_bytes())


def consultant_kinds(source: Path, year: int, *, include_nowork: bool) -> dict[dt.date, str]:
    data = json.loads((source / "consultant" / f"consultant{year}.json").read_text("utf-8"))
    off = {dt.date.fromisoformat(d) for d in data["holidays"]}
    nowork = {dt.date.fromisoformat(d) for d in data.get("nowork", [])}
    if include_nowork:
        off |= nowork
    pre = {dt.date.fromisoformat(d) for d in data["preholidays"]}
    kinds = {}
    day = dt.date(year, 1, 1)
    while day.year == year:
        kinds[day] = "off" if day in off else ("shortened" if day in pre else "working")
        day += dt.timedelta(days=1)
    return kinds


def compare(label: str, xml: XmlYear, other: dict[dt.date, str], allowed: dict | None = None) -> None:
    allowed = allowed or {}
    problems = []
    for day in xml.all_dates():
        pair = (xml.effective_kind(day), other[day])
        if pair[0] != pair[1] and allowed.get(day) != pair:
            problems.append(f"{day}: xmlcalendar={pair[0]} consultant={pair[1]}")
    if problems:
        raise BuildError(f"{label}: источники расходятся:\n  " + "\n  ".join(problems))


def totals(xml: XmlYear, decree: set[dt.date] = frozenset()) -> tuple[int, int, int]:
    work = short = 0
    for day in xml.all_dates():
        kind = "off" if day in decree else xml.effective_kind(day)
        work += kind != "off"
        short += kind == "shortened"
    return work, 8 * work - short, short


def build(source: Path) -> tuple[dict, list[str]]:
    report = []
    years: dict[str, dict] = {}
    decree_layer: dict[str, dict[str, str]] = {}
    csv_rows = {int(r["year"]): r for r in csv.DictReader((source / "annual_totals_computed.csv").open())}
    for year in YEARS:
        full = load_xml(source, f"ru_{year}.xml")
        if full.year != year:
            raise BuildError(f"ru_{year}.xml: в файле год {full.year}")
        compare(f"{year} (с указами)", full, consultant_kinds(source, year, include_nowork=True))
        base = full
        decree: dict[dt.date, str] = {}
        if year in BASE_FILES:
            base = load_xml(source, BASE_FILES[year])
            for day in base.all_dates():
                b, f = base.effective_kind(day), full.effective_kind(day)
                if b == f:
                    continue
                if f != "off":
                    raise BuildError(f"{day}: указ сделал день рабочим ({b} -> {f}) — не поддерживается")
                decree[day] = full.off_reason(day) or "нерабочий день (указ Президента)"
            consultant = json.loads((source / "consultant" / f"consultant{year}.json").read_text("utf-8"))
            nowork = {dt.date.fromisoformat(d) for d in consultant.get("nowork", [])}
            if not nowork <= set(decree):
                raise BuildError(
                    f"{year}: nowork Консультанта не входит в слой указов: {sorted(nowork - set(decree))}"
                )
            compare(
                f"{year} (постановление Правительства)",
                base,
                consultant_kinds(source, year, include_nowork=False),
                KNOWN_2020_BASE_DIFF if year == 2020 else None,
            )
            decree_layer[str(year)] = {f"{d:%m-%d}": note for d, note in sorted(decree.items())}
        years[str(year)] = base.to_year_data()
        # totals against the CSV
        row = csv_rows[year]
        w_full, h_full, s_full = totals(base, set(decree))
        if (w_full, h_full, s_full) != (
            int(row["xmlcalendar_workdays"]),
            int(row["xmlcalendar_hours40"]),
            int(row["xmlcalendar_short_days"]),
        ):
            raise BuildError(f"{year}: итоги с указами {w_full}/{h_full}/{s_full} не совпадают с CSV {row}")
        w, h, s = totals(base)
        if year in BASE_FILES:
            expected = (
                int(row["official_postanovlenie_workdays"]),
                int(row["official_postanovlenie_hours40"]),
            )
            if (w, h) != expected:
                raise BuildError(f"{year}: итоги постановления {w}/{h} != CSV {expected}")
        report.append(
            f"{year}: {w} раб. дней, {h} ч (40 ч/нед.), сокращённых {s}; слой указов: {len(decree)} дн."
        )
    data = {
        "format": 1,
        "country": "RU",
        "description": "Производственный календарь РФ (постановления Правительства); слой нерабочих дней по "
        "указам Президента 2020–2021 отдельно. Источник: xmlcalendar, сверено с Консультант (d10xa).",
        "years": years,
        "decree_nonworking": decree_layer,
    }
    return data, report


def dump(data: dict) -> str:
    # one line per year keeps the file compact yet diff-friendly
    lines = ["{"]
    for key in ("format", "country", "description"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)},")
    for section in ("years", "decree_nonworking"):
        lines.append(f'  "{section}": {{')
        items = list(data[section].items())
        for i, (year, payload) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.append(
                f"    {json.dumps(year)}: {json.dumps(payload, ensure_ascii=False, sort_keys=True)}{comma}"
            )
        lines.append("  }" + ("," if section == "years" else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/work/shared/data/calendar"))
    parser.add_argument("--check", action="store_true", help="only verify the shipped file is up to date")
    args = parser.parse_args(argv)
    try:
        data, report = build(args.source)
    except BuildError as exc:
        print(f"ОШИБКА: {exc}", file=sys.stderr)
        return 1
    text = dump(data)
    json.loads(text)  # sanity
    print("\n".join(report))
    if args.check:
        if OUT.read_text("utf-8") != text:
            print(f"ОШИБКА: {OUT} устарел — запустите scripts/build_calendar.py", file=sys.stderr)
            return 1
        print("ok: файл календаря актуален")
        return 0
    OUT.write_text(text, "utf-8")
    TOTALS_OUT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.source / "annual_totals_computed.csv", TOTALS_OUT)
    print(f"записано: {OUT.relative_to(ROOT)} ({len(text)} байт), {TOTALS_OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
