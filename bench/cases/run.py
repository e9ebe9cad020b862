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
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "cases" / "results.json"
HEADING = "## Case workflow"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000, help="open cases, one open deadline each")
    parser.add_argument("--requests", type=int, default=100)
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
    with connection.cursor() as c:
        c.execute("ANALYZE")
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
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
        "phases": ", ".join(f"{k} {v} s" for k, v in ids["phases"].items()),
        "requests": args.requests,
        "server": server_version(),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.no_write:
        write(result)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SHOW server_version")
            return f"PostgreSQL {c.fetchone()[0]}"
        c.execute("SELECT sqlite_version()")
        return f"SQLite {c.fetchone()[0]}"


def _default(field: Any) -> Any:
    """A field's default as a value a driver can bind: `get_default()` of a field with `db_default`
    (Message.is_official, deleted_how, deleted_by) is a `DatabaseDefault` marker, so its value is given instead."""
    from django.db.models.expressions import DatabaseDefault, Value

    value = field.get_default()
    if isinstance(value, DatabaseDefault):
        default = field.db_default
        return default.value if isinstance(default, Value) else default
    return value


class Inserter:
    """Raw bulk INSERT of prepared rows: the ORM's per-object work (instances, signals, defaults, RETURNING)
    is what made `bulk_create` the bottleneck of the build. Columns not given per row take the field's
    default, prepared for the database once. SQLite: one `executemany` per table (inside one transaction);
    PostgreSQL: `COPY ... FROM STDIN`."""

    def __init__(self, model: Any, varying: list[str]) -> None:
        from django.db import connection

        self.connection = connection
        self.table = model._meta.db_table
        fields = {f.column: f for f in model._meta.concrete_fields}
        self.constants = {
            column: f.get_db_prep_save(_default(f), connection)
            for column, f in fields.items()
            if column not in varying
        }
        self.columns = list(varying) + list(self.constants)
        self.tail = tuple(self.constants.values())

    def insert(self, rows: Iterable[tuple[Any, ...]]) -> None:
        q = self.connection.ops.quote_name
        cols = ", ".join(q(c) for c in self.columns)
        tail = self.tail
        if self.connection.vendor == "postgresql":
            with self.connection.cursor() as c:
                raw = c.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {q(self.table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + tail)
        else:
            marks = ", ".join("%s" for _ in self.columns)
            with self.connection.cursor() as c:
                sql = f"INSERT INTO {q(self.table)} ({cols}) VALUES ({marks})"  # noqa: S608 (model names only)
                c.executemany(sql, (r + tail for r in rows))


def suggestions(n_cases: int, n_unrouted: int) -> None:
    """The analysis app's suggestions for the unrouted messages, six kinds each as `annotate_message` stores
    them; 1% blocked by moderation (R-10, the "Исключённые" filter)."""
    from django.db import connection

    from otklik.analysis.models import Kind, Suggestion

    value = Suggestion._meta.get_field("value")
    prep = value.get_db_prep_save  # type: ignore[union-attr]
    now = connection.ops.adapt_datetimefield_value(datetime.now(UTC))
    fixed = {
        Kind.TOPIC: {"top": [], "topic": "Дороги", "group": "Дорожное хозяйство"},
        Kind.BODY: {"bodies": [{"body_id": 1, "body": "Комитет № 0", "topic": "Дороги", "confidence": 0.8}]},
        Kind.PLACE: {"municipality_id": None, "municipality": "Гатчинский муниципальный район"},
        Kind.IMPORTANCE: {"level": "normal", "reasons": []},
        Kind.REPEAT: {"candidates": []},
    }
    blocked = {"blocked": True, "reasons": [{"kind": "lexicon", "label": "оскорбление"}], "score": 0.97}
    clean = {"blocked": False, "reasons": [], "score": 0.02}

    def rows() -> Iterator[tuple[Any, ...]]:
        pk = 0
        for k in range(n_unrouted):
            message_id = n_cases + k + 1
            pk += 1
            yield (
                pk,
                message_id,
                Kind.MODERATION.value,
                prep(blocked if k % 100 == 7 else clean, connection),
                now,
            )
            if k % 100 == 7:
                continue
            for kind, v in fixed.items():
                pk += 1
                yield (pk, message_id, kind.value, prep(v, connection), now)

    Inserter(Suggestion, ["id", "message_id", "kind", "value", "created_at"]).insert(rows())
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as c:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Suggestion]):
                c.execute(sql)


def build(n_cases: int, n_open: int) -> dict[str, object]:
    from django.db import connection, transaction
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
    body_ids = [b.pk for b in bodies]
    exec_ids = [p.pk for p in executors]
    now = timezone.now().replace(microsecond=0)
    start = now - timedelta(days=900)
    step = timedelta(days=900) / max(n_cases, 1)
    text = "Когда отремонтируют дорогу? Ямы по всей улице, машины ломаются каждый день."
    open_from = n_cases - n_open
    adapt = connection.ops.adapt_datetimefield_value
    when = [adapt(start + step * i) for i in range(n_cases)]
    n_unrouted = 10_000
    if connection.vendor == "sqlite":
        with connection.cursor() as c:  # the build only: the measured pages run with the normal settings
            c.execute("PRAGMA synchronous=OFF")
            c.execute("PRAGMA journal_mode=MEMORY")
            c.execute("PRAGMA cache_size=-400000")
    phases: dict[str, float] = {}

    def timed(name: str, fn: Any) -> None:
        t = time.perf_counter()
        fn()
        phases[name] = round(time.perf_counter() - t, 1)
        print(f"  {name}: {phases[name]} s", file=sys.stderr, flush=True)

    with transaction.atomic():
        timed(
            "messages",
            lambda: Inserter(
                Message, ["id", "network", "external_id", "text", "author_name", "received_at"]
            ).insert(
                [(i + 1, "vk", f"b{i}", text, "Житель", when[i]) for i in range(n_cases)]
                + [
                    (n_cases + k + 1, "vk", f"u{k}", text, "Житель", adapt(now - timedelta(seconds=k)))
                    for k in range(n_unrouted)
                ]
            ),
        )
        closed, drafting = Case.Status.CLOSED.value, Case.Status.DRAFTING.value
        timed(
            "cases",
            lambda: Inserter(
                Case, ["id", "status", "network", "summary", "dispatched_at", "dispatched_by_id", "closed_at"]
            ).insert(
                (
                    i + 1,
                    drafting if i >= open_from else closed,
                    "vk",
                    text,
                    when[i],
                    curator.pk,
                    None if i >= open_from else when[i],
                )
                for i in range(n_cases)
            ),
        )
        timed(
            "case messages",
            lambda: Inserter(CaseMessage, ["id", "case_id", "message_id", "added_at"]).insert(
                (i + 1, i + 1, i + 1, when[i]) for i in range(n_cases)
            ),
        )
        active, done = Assignment.State.ACTIVE.value, Assignment.State.DONE.value
        timed(
            "assignments",
            lambda: Inserter(
                Assignment, ["id", "case_id", "body_id", "executor_id", "state", "received_at"]
            ).insert(
                (
                    i + 1,
                    i + 1,
                    body_ids[i % 40],
                    exec_ids[i % 40],
                    active if i >= open_from else done,
                    when[i],
                )
                for i in range(n_cases)
            ),
        )

        def deadline_rows() -> Iterator[tuple[Any, ...]]:
            # open deadlines spread over ten days ahead; 1% already past due, 2% due for a reminder
            for i in range(open_from, n_cases):
                j = i - open_from
                due = now + timedelta(minutes=(j * 17) % 14_400) + timedelta(hours=1)
                if j % 100 == 0:
                    due = now - timedelta(minutes=5)
                remind = adapt(due - timedelta(hours=2)) if j % 50 == 1 else None
                yield (
                    j + 1,
                    i + 1,
                    i + 1,
                    "draft",
                    "R-8.4",
                    exec_ids[i % 40],
                    body_ids[i % 40],
                    when[i],
                    adapt(due),
                    300,
                    remind,
                )

        timed(
            "deadlines",
            lambda: Inserter(
                Deadline,
                [
                    "id",
                    "case_id",
                    "assignment_id",
                    "stage",
                    "rid",
                    "responsible_id",
                    "body_id",
                    "started_at",
                    "due_at",
                    "working_minutes",
                    "next_reminder_at",
                ],
            ).insert(deadline_rows()),
        )
        timed("suggestions", lambda: suggestions(n_cases, n_unrouted))
        # some open cases waiting for review
        review = list(range(open_from + 1, min(open_from + 2_001, n_cases + 1)))
        Case.objects.filter(pk__in=review).update(status=Case.Status.REVIEW)
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as c:  # the ids were given explicitly: move the sequences past them
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), [Message, Case, CaseMessage, Assignment, Deadline]
                ):
                    c.execute(sql)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode=WAL")  # back to the settings' PRAGMAs for the measured part
            c.execute("PRAGMA synchronous=NORMAL")
    return {
        "curator": curator,
        "executor": executors[0],
        "sweep_now": now + timedelta(minutes=1),
        "phases": phases,
        "unrouted": n_unrouted - len(range(7, n_unrouted, 100)),  # not blocked: in the inbox
    }


def measure(ids: dict[str, Any], n: int) -> dict[str, float]:
    from django.test import Client
    from django.urls import reverse

    out: dict[str, float] = {}
    inbox, queue, cases = reverse("cases:inbox"), reverse("cases:my_queue"), reverse("cases:list")
    last_inbox = (ids["unrouted"] + 49) // 50
    pages = {
        "curator_inbox": ("curator", inbox),
        "curator_inbox_page_50": ("curator", inbox + "?page=50"),
        "curator_inbox_last_page": ("curator", f"{inbox}?page={last_inbox}"),
        "curator_inbox_vk": ("curator", inbox + "?network=vk&page=10"),
        "curator_inbox_excluded": ("curator", inbox + "?filter=excluded"),
        "review_queue": ("curator", reverse("cases:review_queue")),
        "executor_queue": ("executor", queue),
        "executor_queue_page_50": ("executor", queue + "?page=50"),
        "case_list_curator": ("curator", cases),
        "case_list_curator_page_1000": ("curator", cases + "?page=1000"),
        "case_list_executor": ("executor", cases),
        "case_list_closed_page_100": ("curator", cases + "?status=closed&page=100"),
    }
    for name, (who, url) in pages.items():
        client = Client()
        client.force_login(ids[who])
        t = time.perf_counter()
        first = client.get(url)
        out[f"{name}_first_ms"] = (time.perf_counter() - t) * 1000
        assert first.status_code == 200
        if m := re.search(r"page=(\d+)", url):  # a deep page, not the fallback to the first
            assert f"страница {m[1]}".encode() in first.content, name
        samples = []
        for _ in range(n):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        samples.sort()
        out[f"{name}_p50_ms"] = statistics.median(samples)
        out[f"{name}_p95_ms"] = samples[max(0, int(len(samples) * 0.95) - 1)]
        print(
            f"  {name}: p50 {out[f'{name}_p50_ms']:.1f} ms, p95 {out[f'{name}_p95_ms']:.1f} ms",
            file=sys.stderr,
        )
    return out


LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
PAGES = [
    ("curator_inbox", "curator inbox, page 1"),
    ("curator_inbox_page_50", "curator inbox, page 50"),
    ("curator_inbox_last_page", "curator inbox, last page (198)"),
    ("curator_inbox_vk", "curator inbox, network filter, page 10"),
    ("curator_inbox_excluded", "curator inbox, «Исключённые (модерация)», page 1"),
    ("review_queue", "review queue"),
    ("executor_queue", "executor queue, page 1"),
    ("executor_queue_page_50", "executor queue, page 50 (last)"),
    ("case_list_curator", "case list (curator), page 1"),
    ("case_list_curator_page_1000", "case list (curator), page 1000"),
    ("case_list_executor", "case list (executor), page 1"),
    ("case_list_closed_page_100", "case list, closed, page 100"),
]


def section(r: dict[str, Any]) -> str:
    lines = [
        f"### {LABELS.get(str(r['vendor']), r['vendor'])}",
        "",
        f"Run {r['date']} on {r['machine']}, {r['server']}; load average before / after: {r['load_before']} /"
        f" {r['load_after']} (2 cores shared with other engineers' test runs).",
        "",
        f"- Build: {r['cases']:,} cases (+ {r['cases']:,} messages, links, assignments; {r['open_deadlines']:,}"
        f" open deadlines; 10,000 unrouted messages) in **{r['build_s']} s** ({r['phases']}).",
        f"- Sweep over {r['open_deadlines']:,} open deadlines: **{r['sweep_s']} s** ({r['sweep_breached']:,}"
        f" breaches, {r['sweep_reminders']:,} reminders). Target < 5 s.",
        f"- Pages ({r['requests']} requests each after one warm-up, signed in, test client, templates rendered;"
        " target p95 < 200 ms):",
        "",
        "| page | first request ms | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
    ]
    for key, label in PAGES:
        if f"{key}_p95_ms" in r:
            lines.append(
                f"| {label} | {r.get(f'{key}_first_ms', '—')} | {r[f'{key}_p50_ms']} | {r[f'{key}_p95_ms']} |"
            )
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any]) -> None:
    stored: dict[str, dict[str, Any]] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[str(result["vendor"])] = result
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n")
    head = [
        HEADING,
        "",
        "Generated by `bench/cases/run.py` (do not edit by hand; re-run the script; each database rewrites only its"
        " own subsection; raw figures in `bench/cases/results.json`).",
        "Data: one message, one case, one assignment per case over 40 bodies, written with raw multi-row inserts"
        " (SQLite `executemany` with `synchronous=OFF` / `journal_mode=MEMORY` for the build only; PostgreSQL"
        " `COPY`) in one transaction, then `ANALYZE`. The open cases carry one open deadline each (1% already past"
        " due, 2% due for a reminder); 2,000 cases wait for review; the 10,000 unrouted messages carry the analysis"
        " app's six suggestions each (1% blocked by moderation, R-10).",
        "Lists page without a total count (page size + 1 rows) over indexes matching their order"
        " (`otklik.cases.paging`). The inbox walks `received_at` down to `cases.InboxFloor` (every older message"
        " is in a case); the very first inbox request of a fresh database computes that floor by walking every"
        ' message once ("first request" of the curator inbox), later requests move it up at most once a minute'
        " and recompute it daily.",
        "",
    ]
    body = [section(stored[v]) for v in ("sqlite", "postgresql") if v in stored and "phases" in stored[v]]
    text_ = "\n".join(head) + "\n" + "\n".join(body) + "\n"
    text = DOC.read_text()
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: text_, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + text_
    DOC.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
