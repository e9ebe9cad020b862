"""Benchmark of the case workflow at scale (not a test): N cases (default 1,000,000) built with bulk_create,
then the p95 render time of the curator's inbox and review queue and the executor's queue through the real
views, and one sweep over the open deadlines (default 100,000).

    .venv/bin/python bench/cases/run.py                                  # SQLite in a temporary directory
    scripts/with-postgres.sh .venv/bin/python bench/cases/run.py          # PostgreSQL (throwaway cluster)

Each run rewrites its own line group in the "## Case workflow" section of docs/benchmarks.md (SQLite and
PostgreSQL rows are kept side by side); other sections are left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "cases" / "results.json"
HEADING = "## Case workflow"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000, help="open cases, one open deadline each")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        tmp = tempfile.mkdtemp(prefix="otklik-bench-")
        os.environ["OTKLIK_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    t0 = time.perf_counter()
    ids = build(args.cases, args.open)
    build_s = time.perf_counter() - t0
    if vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE")
    timings = measure(ids, args.requests)
    t1 = time.perf_counter()
    from otklik.cases.sla import sweep

    report = sweep(now=ids["sweep_now"])
    sweep_s = time.perf_counter() - t1
    result = {
        "vendor": vendor,
        "cases": args.cases,
        "open_deadlines": args.open,
        "build_s": round(build_s, 1),
        **{k: round(v, 1) for k, v in timings.items()},
        "sweep_s": round(sweep_s, 2),
        "sweep_breached": report.breached,
        "sweep_reminders": report.reminders,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.no_write:
        write(result)


def build(n_cases: int, n_open: int) -> dict[str, object]:
    from django.db import transaction
    from django.utils import timezone

    from otklik.cases.models import Assignment, Case, CaseMessage, Deadline
    from otklik.intake.models import Message
    from otklik.org.models import Body, Person, Role

    bodies = [Body.objects.create(name=f"Комитет № {i}", short_name=f"К{i}") for i in range(40)]
    office = Body.objects.create(name="Управление информационной политики", is_coordinator=True)
    curator = Person.objects.create(username="curator", body=office, last_name="Кураторова")
    Role.objects.create(person=curator, kind="curator")
    executors = []
    for b in bodies:
        p = Person.objects.create(username=f"exec{b.pk}", body=b, last_name=f"Исполнитель {b.pk}")
        Role.objects.create(person=p, kind="executor", body=b)
        executors.append(p)
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=900)
    step = timedelta(days=900) / max(n_cases, 1)
    batch = 20_000
    text = "Когда отремонтируют дорогу? Ямы по всей улице, машины ломаются каждый день."
    for lo in range(0, n_cases, batch):
        hi = min(lo + batch, n_cases)
        with transaction.atomic():
            msgs = Message.objects.bulk_create(
                [
                    Message(
                        network="vk",
                        external_id=f"b{i}",
                        text=text,
                        author_name="Житель",
                        received_at=start + step * i,
                    )
                    for i in range(lo, hi)
                ]
            )
            if len(msgs) and msgs[0].pk is None:
                first = Message.objects.get(external_id=f"b{lo}").pk
                for k, m in enumerate(msgs):
                    m.pk = first + k
            open_from = n_cases - n_open
            cases = Case.objects.bulk_create(
                [
                    Case(
                        status="drafting" if i >= open_from else "closed",
                        network="vk",
                        summary=text,
                        dispatched_at=start + step * i,
                        dispatched_by=curator,
                        closed_at=None if i >= open_from else start + step * i,
                    )
                    for i in range(lo, hi)
                ]
            )
            if cases and cases[0].pk is None:
                first_case = Case.objects.order_by("-id").values_list("id", flat=True)[len(cases) - 1]
                for k, c in enumerate(cases):
                    c.pk = first_case + k
            CaseMessage.objects.bulk_create(
                [
                    CaseMessage(case=c, message=m, added_at=c.dispatched_at)
                    for c, m in zip(cases, msgs, strict=True)
                ]
            )
            assigns = Assignment.objects.bulk_create(
                [
                    Assignment(
                        case=c,
                        body=bodies[(lo + k) % 40],
                        executor=executors[(lo + k) % 40],
                        state="active" if (lo + k) >= open_from else "done",
                        received_at=c.dispatched_at,
                    )
                    for k, c in enumerate(cases)
                ]
            )
            if assigns and assigns[0].pk is None:
                first_a = Assignment.objects.order_by("-id").values_list("id", flat=True)[len(assigns) - 1]
                for k, a in enumerate(assigns):
                    a.pk = first_a + k
            deadlines = []
            for k, (c, a) in enumerate(zip(cases, assigns, strict=True)):
                i = lo + k
                if i < open_from:
                    continue
                # open deadlines spread over ±10 days around now; 1% already past due, 2% due for a reminder
                j = i - open_from
                due = now + timedelta(minutes=(j * 17) % 14_400) + timedelta(hours=1)
                if j % 100 == 0:
                    due = now - timedelta(minutes=5)
                remind = due - timedelta(hours=2)
                deadlines.append(
                    Deadline(
                        case=c,
                        assignment=a,
                        stage="draft",
                        rid="R-8.4",
                        responsible=a.executor,
                        body=a.body,
                        started_at=c.dispatched_at,
                        due_at=due,
                        working_minutes=300,
                        next_reminder_at=remind if j % 50 == 1 else None,
                    )
                )
            Deadline.objects.bulk_create(deadlines)
    # unrouted messages for the inbox
    Message.objects.bulk_create(
        [
            Message(network="vk", external_id=f"u{i}", text=text, author_name="Житель", received_at=now)
            for i in range(10_000)
        ]
    )
    # some cases waiting for review
    Case.objects.filter(pk__in=Case.objects.filter(status="drafting").values("pk")[:2_000]).update(
        status="review"
    )
    return {"curator": curator, "executor": executors[0], "sweep_now": now + timedelta(minutes=1)}


def measure(ids: dict[str, object], n: int) -> dict[str, float]:
    from django.test import Client
    from django.urls import reverse

    out: dict[str, float] = {}
    pages = {
        "curator_inbox": ("curator", reverse("cases:inbox")),
        "curator_inbox_page_50": ("curator", reverse("cases:inbox") + "?page=50"),
        "review_queue": ("curator", reverse("cases:review_queue")),
        "executor_queue": ("executor", reverse("cases:my_queue")),
        "case_list_curator": ("curator", reverse("cases:list")),
    }
    for name, (who, url) in pages.items():
        client = Client()
        client.force_login(ids[who])  # type: ignore[arg-type]
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(n):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        samples.sort()
        out[f"{name}_p50_ms"] = statistics.median(samples)
        out[f"{name}_p95_ms"] = samples[max(0, int(len(samples) * 0.95) - 1)]
    return out


def write(result: dict[str, object]) -> None:
    stored: dict[str, dict[str, object]] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[str(result["vendor"])] = result
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n")
    lines = [
        HEADING,
        "",
        "Generated by `bench/cases/run.py` (do not edit by hand; re-run the script; raw figures in"
        " `bench/cases/results.json`).",
        "Data: cases built with `bulk_create` (one message, one assignment each; 40 bodies); the open ones carry",
        "one open deadline each (1% already past due, 2% due for a reminder); 10,000 unrouted messages in the inbox.",
        "Pages are rendered through the real views with Django's test client (template rendering included).",
        "",
        "| database | cases | open deadlines | build s | inbox p95 ms | inbox p.50 p95 ms | review queue p95 ms"
        " | executor queue p95 ms | case list p95 ms | sweep s (breaches, reminders) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in stored.values():
        lines.append(
            f"| {r['vendor']} ({r['date']}, {r['machine']}) | {r['cases']:,} | {r['open_deadlines']:,} | {r['build_s']} "
            f"| {r['curator_inbox_p95_ms']} | {r['curator_inbox_page_50_p95_ms']} | {r['review_queue_p95_ms']} "
            f"| {r['executor_queue_p95_ms']} | {r['case_list_curator_p95_ms']} "
            f"| {r['sweep_s']} ({r['sweep_breached']:,}, {r['sweep_reminders']:,}) |"
        )
    section = "\n".join(lines) + "\n\n"
    text = DOC.read_text()
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(lambda _m: section, text)
        if pattern.search(text)
        else text.rstrip("\n") + "\n\n" + section
    )
    DOC.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
