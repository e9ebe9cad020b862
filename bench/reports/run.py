"""Benchmark of the monthly report (R-13; not a test): `reports.monthly.build` over a database of 1,000,000 cases
spread over twelve months (with their assignments, messages, deadlines, drafts, reviews and violations), timed
for one month. The rows are bulk-inserted (a benchmark needs volume; tests build data through the actions).

    .venv/bin/python bench/reports/run.py                              # SQLite in a temporary directory
    scripts/with-postgres.sh .venv/bin/python bench/reports/run.py      # PostgreSQL (throwaway cluster)

Each run rewrites its own database's row in the "## Reports" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Reports"
TARGET_S = 10.0
MSK = ZoneInfo("Europe/Moscow")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--chunk", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["OTKLIK_VAR_DIR"] = tempfile.mkdtemp(prefix="otklik-bench-reports-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from otklik.cases.models import (
        Assignment,
        Case,
        CaseMessage,
        Deadline,
        Draft,
        Publication,
        Review,
        Violation,
    )
    from otklik.intake.models import Message
    from otklik.org.models import Body, Municipality, Person, TopicGroup
    from otklik.reports import monthly, periods

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    bodies = [
        Body.objects.get_or_create(name=f"Орган {i}", defaults={"short_name": f"Орган {i}"})[0]
        for i in range(40)
    ]
    groups = [TopicGroup.objects.get_or_create(name=f"Группа {i}")[0] for i in range(25)]
    places = [Municipality.objects.get_or_create(name=f"МО {i}")[0] for i in range(18)]
    curator, _ = Person.objects.get_or_create(username="bench-curator")
    executors = [
        Person.objects.get_or_create(username=f"bench-exec-{i}", defaults={"body": b})[0]
        for i, b in enumerate(bodies)
    ]
    start = datetime(2025, 11, 1, tzinfo=MSK)
    span = (datetime(2026, 11, 1, tzinfo=MSK) - start).total_seconds()
    t0 = time.perf_counter()
    if not Case.objects.exists():
        for off in range(0, args.cases, args.chunk):
            n = min(args.chunk, args.cases - off)
            with transaction.atomic():
                times = [start + timedelta(seconds=rng.random() * span) for _ in range(n)]
                cases = Case.objects.bulk_create(
                    [
                        Case(
                            status=Case.Status.CLOSED if rng.random() < 0.95 else Case.Status.DRAFTING,
                            topic_group=rng.choice(groups),
                            municipality=rng.choice(places),
                            importance="high" if rng.random() < 0.1 else "normal",
                            network=rng.choice(["vk", "ok", "telegram"]),
                            summary="Обращение",
                            dispatched_at=t,
                            dispatched_by=curator,
                        )
                        for t in times
                    ],
                    batch_size=5000,
                )
                who = [rng.randrange(len(bodies)) for _ in cases]
                Assignment.objects.bulk_create(
                    [
                        Assignment(
                            case=c,
                            body=bodies[w],
                            executor=executors[w],
                            state="done",
                            received_at=c.dispatched_at,
                            rejected_at=c.dispatched_at + timedelta(minutes=20)
                            if rng.random() < 0.03
                            else None,
                        )
                        for c, w in zip(cases, who, strict=True)
                    ],
                    batch_size=5000,
                )
                msgs = Message.objects.bulk_create(
                    [
                        Message(
                            network=c.network,
                            external_id=f"b{off}-{i}",
                            text="Когда отремонтируют дорогу?",
                            published_at=c.dispatched_at - timedelta(minutes=30),
                        )
                        for i, c in enumerate(cases)
                    ],
                    batch_size=5000,
                )
                CaseMessage.objects.bulk_create(
                    [
                        CaseMessage(case=c, message=m, added_at=c.dispatched_at)
                        for c, m in zip(cases, msgs, strict=True)
                    ],
                    batch_size=5000,
                )
                drafts = Draft.objects.bulk_create(
                    [
                        Draft(
                            case=c,
                            kind="answer",
                            state="published",
                            text="Ответ",
                            author=executors[w],
                            submitted_at=c.dispatched_at + timedelta(hours=2),
                            score=rng.randrange(40, 101),
                        )
                        for c, w in zip(cases, who, strict=True)
                    ],
                    batch_size=5000,
                )
                Publication.objects.bulk_create(  # the answer as published (the oblast's total counts by it)
                    [
                        Publication(
                            case=c,
                            draft=d,
                            network=c.network,
                            published_at=c.dispatched_at + timedelta(hours=3),
                            method="manual",
                            published_by=executors[w],
                        )
                        for c, d, w in zip(cases, drafts, who, strict=True)
                    ],
                    batch_size=5000,
                )
                Review.objects.bulk_create(
                    [
                        Review(
                            draft=d,
                            reviewer=curator,
                            decision="return",
                            created_at=d.submitted_at + timedelta(minutes=30),
                        )
                        for d in drafts
                        if rng.random() < 0.2
                    ],
                    batch_size=5000,
                )
                deadlines = []
                for c, w in zip(cases, who, strict=True):
                    for stage, hours in (("overall", 9), ("draft", 5), ("publish", 3)):
                        late = rng.random() < 0.05
                        due = c.dispatched_at + timedelta(hours=hours)
                        met = (
                            due + timedelta(minutes=30)
                            if late
                            else due - timedelta(minutes=rng.randrange(5, 200))
                        )
                        deadlines.append(
                            Deadline(
                                case=c,
                                stage=stage,
                                rid="R-8.3",
                                responsible=executors[w],
                                body=bodies[w],
                                started_at=c.dispatched_at,
                                due_at=due,
                                working_minutes=hours * 60,
                                met_at=met,
                                breached_at=met if late else None,
                            )
                        )
                deadlines = Deadline.objects.bulk_create(deadlines, batch_size=5000)
                Violation.objects.bulk_create(
                    [
                        Violation(
                            deadline=d,
                            case_id=d.case_id,
                            stage=d.stage,
                            rid=d.rid,
                            person=d.responsible,
                            body=d.body,
                            due_at=d.due_at,
                            detected_at=d.breached_at,
                        )
                        for d in deadlines
                        if d.breached_at is not None
                    ],
                    batch_size=5000,
                )
            print(f"  {off + n:,} cases", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
    load_s = time.perf_counter() - t0
    total = Case.objects.count()
    period = periods.month(2026, 10)
    in_month = Case.objects.filter(dispatched_at__gte=period.start, dispatched_at__lt=period.end).count()
    timings = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        report = monthly.build(period)
        timings.append(time.perf_counter() - t)
    best, med = min(timings), statistics.median(timings)
    vendor = connection.vendor
    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute("SHOW server_version")
            version = f"PostgreSQL {cur.fetchone()[0].split()[0]}"
        else:
            cur.execute("select sqlite_version()")
            version = f"SQLite {cur.fetchone()[0]}"
    print(
        f"{version}: {total:,} cases ({in_month:,} in {period.key}); load {load_s:.0f} s; monthly report "
        f"median {med:.2f} s, best {best:.2f} s; violations {report['timeliness']['total']['violations']:,}"
    )
    if not args.no_write:
        write_line(version, vendor, total, in_month, med, best)
    ok = med < TARGET_S
    print("target met" if ok else f"TARGET MISSED: need < {TARGET_S} s")
    return 0 if ok else 1


def write_line(version: str, vendor: str, total: int, in_month: int, med: float, best: float) -> None:
    text = DOC.read_text("utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    match = pattern.search(text)
    rows: dict[str, str] = {}
    if match:
        for line in match.group(0).splitlines():
            if line.startswith("| SQLite") or line.startswith("| PostgreSQL"):
                rows[line.split("|")[1].strip().split()[0]] = line
    name = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    verdict = "yes" if med < TARGET_S else "**no**"
    if total < 1_000_000:
        verdict = "not measured (fewer than 1,000,000 cases)"
    rows[name] = f"| {version} | {total:,} | {in_month:,} | {med:.2f} | {best:.2f} | {verdict} |"
    today = datetime.now(UTC).date().isoformat()
    section = f"""{HEADING}

Generated by `bench/reports/run.py` (do not edit by hand; re-run the script; each database's row is replaced by
its own run). Last run {today} on {platform.processor() or platform.machine()}, Python {platform.python_version()}.

- Workload (default `--cases 1000000`; the row says how many were loaded): cases over twelve months
  (Nov 2025 – Oct 2026), 40 bodies, each case with an assignment,
  a message, three deadlines (5 % breached, with violations), a draft with a checker score and its publication,
  20 % returned, 3 % rejections; bulk-inserted.
- Measured: `otklik.reports.monthly.build` for October 2026 — every figure of the monthly report (timeliness
  per body and stage, working-time median and 90th percentile through `worktime_for(body).between_many`,
  quality, message dynamics against the previous month and a year before). Target: < {TARGET_S:g} s.

| database | cases | cases in the month | monthly report, median s | best s | target met |
|---|---:|---:|---:|---:|---|
"""
    section += "\n".join(rows[k] for k in ("SQLite", "PostgreSQL") if k in rows) + "\n"
    if match:
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
