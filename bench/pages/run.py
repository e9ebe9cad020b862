"""Benchmark of the staff pages at the scale of a year of work (not a test; R-8.1): 300,000 messages, 50,000
cases with their assignments, deadlines, drafts, events and violations, notifications, notices, e-mails, the
outbox, the quarantine and the Governor's posts; then every staff list page through the real views.

For each page: the number of queries (it must not grow with the rows), the median time of a few requests
next to a cheap peer page of the same run (the review queue: one small indexed query), and on PostgreSQL the
plan (`EXPLAIN (ANALYZE, BUFFERS)`) of the page's most expensive query: its total cost, its time and any
sequential scan of a big table.

    .venv/bin/python bench/pages/run.py --db /tmp/otklik-pages               # SQLite file, built once
    DATABASE_URL=postgres://… .venv/bin/python bench/pages/run.py            # PostgreSQL (built once)
    scripts/with-postgres.sh .venv/bin/python bench/pages/run.py             # throwaway cluster

The build is skipped when the database already holds the data (`--rebuild` to force it). Each run rewrites
its own subsection of "## Staff pages" in docs/benchmarks.md (raw figures in bench/pages/results.json).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "bench" / "pages" / "results.json"
HEADING = "## Staff pages"
NETWORKS = ["vk"] * 12 + ["telegram"] * 5 + ["ok"] * 2 + ["youtube"]  # 60 / 25 / 10 / 5 %
BIG_TABLES = (
    "intake_message",
    "cases_case",
    "cases_casemessage",
    "cases_assignment",
    "cases_deadline",
    "cases_draft",
    "cases_caseevent",
    "cases_notification",
    "cases_violation",
    "analysis_suggestion",
    "notify_notice",
    "notify_mail",
    "intake_outbox",
    "intake_quarantine",
    "governor_comment",
)


def _cases_bench() -> Any:
    """bench/cases/run.py as a module (its build fills the cases)."""
    spec = importlib.util.spec_from_file_location("bench_cases_run", ROOT / "bench" / "cases" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--db",
        default=str(Path(tempfile.gettempdir()) / "otklik-pages"),
        help="SQLite: the directory of the database",
    )
    parser.add_argument("--messages", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--only", default="", help="measure only the pages whose key contains this")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        Path(args.db).mkdir(parents=True, exist_ok=True)
        os.environ["OTKLIK_VAR_DIR"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from otklik.cases.models import Case

    build_s = None
    if args.rebuild or not Case.objects.exists():
        if Case.objects.exists():
            sys.exit("--rebuild needs an empty database (remove the SQLite file or the PostgreSQL database)")
        t0 = time.perf_counter()
        build(args.messages, args.cases)
        build_s = round(time.perf_counter() - t0, 1)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    pages = measure(args.requests, args.only)
    result = {
        "vendor": connection.vendor,
        "server": _cases_bench().server_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}",
        "sizes": sizes(),
        "build_s": build_s,
        "requests": args.requests,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "pages": pages,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.no_write and not args.only:
        write(result)


# ------------------------------------------------------------------------------------------------ build
def build(n_messages: int, n_cases: int) -> None:
    """bench/cases builds the cases (one message, assignment each; a tenth open with a deadline) and 10,000
    fresh unrouted messages with suggestions; this adds what a year brings besides."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from otklik.cases.models import Case, CaseEvent, Deadline, Draft, Notification, Violation
    from otklik.governor.models import Comment, Watch
    from otklik.intake.models import Message, Outbox, Post, Quarantine, Source
    from otklik.notify.models import Mail, Notice
    from otklik.org.models import Body, Person, Role

    cases_bench = _cases_bench()
    Inserter = cases_bench.Inserter
    ids = cases_bench.build(n_cases, n_cases // 10)
    curator, executor = ids["curator"], ids["executor"]
    now = timezone.now().replace(microsecond=0)
    adapt = connection.ops.adapt_datetimefield_value
    year = timedelta(days=365)
    text = "Во дворе дома третью неделю не вывозят мусор, контейнеры переполнены, просим навести порядок."
    extra = max(0, n_messages - n_cases - 10_000)
    first_extra = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
    n_posts = 2_000  # a year of the sources' posts; every tenth the Governor's
    phases: dict[str, float] = {}

    def timed(name: str, fn: Any) -> None:
        t = time.perf_counter()
        fn()
        phases[name] = round(time.perf_counter() - t, 1)
        print(f"  {name}: {phases[name]} s", file=sys.stderr, flush=True)

    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA synchronous=OFF")
            c.execute("PRAGMA journal_mode=MEMORY")
    with transaction.atomic():
        office = Body.objects.get(is_coordinator=True)
        admin = Person.objects.create(
            username="admin", body=office, last_name="Админова", is_staff=True, is_superuser=True
        )
        Role.objects.create(person=admin, kind="administrator")
        head = Person.objects.create(username="head", body=executor.body, last_name="Руководителева")
        Role.objects.create(person=head, kind="responsible", body=executor.body)
        observer = Person.objects.create(username="observer", body=office, last_name="Наблюдателева")
        Role.objects.create(person=observer, kind="observer")
        Person.objects.filter(username__in=["admin", "head", "observer"]).update(password=make_password(None))
        source = Source.objects.create(network="vk", kind="wall", external_id="-1", title="Губернатор")
        posts = [
            Post(
                network="vk",
                external_id=f"p{k}",
                source=source,
                text=f"Пост № {k}",
                published_at=now - year + (year / n_posts) * k,
                is_governor=k % 10 == 0,
            )
            for k in range(n_posts)
        ]
        Post.objects.bulk_create(posts, batch_size=1000)
        post_ids = list(Post.objects.order_by("id").values_list("id", flat=True))
        governor = [pk for k, pk in enumerate(post_ids) if k % 10 == 0]

        def messages() -> Iterator[tuple[Any, ...]]:
            step = year / max(extra, 1)
            for k in range(extra):
                at = adapt(now - year + step * k - timedelta(hours=1))
                network = NETWORKS[k % len(NETWORKS)]
                yield (
                    first_extra + k + 1,
                    network,
                    f"y{k}",
                    f"{text} Сообщение {k}.",
                    f"Житель {k % 5000}",
                    at,
                    at,
                    post_ids[k % n_posts],
                    post_ids[k % n_posts] in governor_set,
                )

        governor_set = set(governor)
        timed(
            "messages",
            lambda: Inserter(
                Message,
                [
                    "id",
                    "network",
                    "external_id",
                    "text",
                    "author_name",
                    "published_at",
                    "received_at",
                    "post_id",
                    "is_official",
                ],
            ).insert(messages()),
        )
        # is_official was a stand-in above: comments under the Governor's posts are the bodies' work, not
        # official; reset it and record them as the Governor's comments
        Message.objects.filter(id__gt=first_extra, is_official=True).update(is_official=False)
        watches = [
            Watch(
                post_id=pk,
                started_at=now - year + (year / len(governor)) * i,
                first_window_end=now - year + (year / len(governor)) * i + timedelta(hours=2),
                every_minutes=120,
                span_minutes=2400,
                opened_at=now - year + (year / len(governor)) * i,
            )
            for i, pk in enumerate(governor)
        ]
        Watch.objects.bulk_create(watches)
        watch_of = dict(Watch.objects.values_list("post_id", "id"))
        processed = adapt(now)

        def comments() -> Iterator[tuple[Any, ...]]:
            pk = 0
            for k in range(extra):
                post = post_ids[k % n_posts]
                if post in governor_set:
                    pk += 1
                    yield (pk, watch_of[post], first_extra + k + 1, "other", processed)

        timed(
            "governor comments",
            lambda: Inserter(Comment, ["id", "watch_id", "message_id", "kind", "processed_at"]).insert(
                comments()
            ),
        )
        case_ids = list(Case.objects.order_by("id").values_list("id", flat=True))
        n = len(case_ids)
        first_at = dict(Case.objects.values_list("id", "dispatched_at"))

        def drafts() -> Iterator[tuple[Any, ...]]:
            for i, case_id in enumerate(case_ids):
                yield (
                    i + 1,
                    case_id,
                    case_id,
                    "answer",
                    "published" if i < n * 9 // 10 else "submitted",
                    "Здравствуйте! Ремонт запланирован на июнь.",
                    executor.pk,
                    adapt(first_at[case_id] + timedelta(hours=3)),
                    80,
                )

        timed(
            "drafts",
            lambda: Inserter(
                Draft,
                [
                    "id",
                    "case_id",
                    "assignment_id",
                    "kind",
                    "state",
                    "text",
                    "author_id",
                    "submitted_at",
                    "score",
                ],
            ).insert(drafts()),
        )

        def events() -> Iterator[tuple[Any, ...]]:
            pk = 0
            for case_id in case_ids:
                at = first_at[case_id]
                for j, action in enumerate(
                    ("dispatch_case", "assignment_started", "submit_draft", "approve")
                ):
                    pk += 1
                    yield (pk, case_id, adapt(at + timedelta(minutes=30 * j)), curator.pk, action)

        timed(
            "events",
            lambda: Inserter(CaseEvent, ["id", "case_id", "at", "actor_id", "action"]).insert(events()),
        )
        # a year of closed deadlines (one per closed case), 5 % of them breached, with their violations
        last_deadline = Deadline.objects.order_by("-id").values_list("id", flat=True).first() or 0
        closed = list(
            Case.objects.filter(status=Case.Status.CLOSED).order_by("id").values_list("id", "dispatched_at")
        )

        def closed_deadlines() -> Iterator[tuple[Any, ...]]:
            for j, (case_id, at) in enumerate(closed):
                yield (
                    last_deadline + j + 1,
                    case_id,
                    case_id,
                    "draft",
                    "R-8.4",
                    executor.pk if j % 20 == 0 else None,
                    executor.body_id,
                    adapt(at),
                    adapt(at + timedelta(hours=5)),
                    300,
                    adapt(at + timedelta(hours=4)),
                )

        timed(
            "closed deadlines",
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
                    "met_at",
                ],
            ).insert(closed_deadlines()),
        )

        def violations() -> Iterator[tuple[Any, ...]]:
            pk = 0
            for j, (case_id, at) in enumerate(closed):
                if j % 20 == 0:
                    pk += 1
                    due = adapt(at + timedelta(hours=5))
                    yield (
                        pk,
                        last_deadline + j + 1,
                        case_id,
                        "draft",
                        "R-8.4",
                        executor.pk,
                        executor.body_id,
                        due,
                        due,
                    )

        timed(
            "violations",
            lambda: Inserter(
                Violation,
                [
                    "id",
                    "deadline_id",
                    "case_id",
                    "stage",
                    "rid",
                    "person_id",
                    "body_id",
                    "due_at",
                    "detected_at",
                ],
            ).insert(violations()),
        )

        def notifications() -> Iterator[tuple[Any, ...]]:
            # a reminder to the curator and to the executor for every other case: 25,000 each a year
            pk = 0
            for i, case_id in enumerate(case_ids):
                if i % 2:
                    continue
                at = adapt(first_at[case_id] + timedelta(hours=4))
                for who in (curator.pk, executor.pk):
                    pk += 1
                    yield (pk, who, case_id, "reminder", f"Срок по обращению № {case_id} истекает", at, at)

        timed(
            "notifications",
            lambda: Inserter(
                Notification, ["id", "recipient_id", "case_id", "kind", "text", "created_at", "read_at"]
            ).insert(notifications()),
        )
        timed(
            "notices",
            lambda: Inserter(Notice, ["id", "recipient_id", "kind", "title", "created_at"]).insert(
                (
                    k + 1,
                    (curator.pk, executor.pk, observer.pk)[k % 3],
                    "work",
                    f"Уведомление {k}",
                    adapt(now - year + year / 30_000 * k),
                )
                for k in range(30_000)
            ),
        )
        timed(
            "mail",
            lambda: Inserter(
                Mail, ["id", "to", "subject", "created_at", "state", "attempts", "sent_at"]
            ).insert(
                (
                    k + 1,
                    json.dumps(["exec@example.org"]),
                    f"Отклик: напоминание № {k}",
                    adapt(now - year + year / 60_000 * k),
                    "sent",
                    1,
                    adapt(now - year + year / 60_000 * k),
                )
                for k in range(60_000)
            ),
        )
        timed(
            "outbox",
            lambda: Inserter(
                Outbox,
                ["id", "message_id", "text", "idempotency_key", "case_id", "state", "attempts", "created_at"],
            ).insert(
                (
                    i + 1,
                    case_id,
                    "Здравствуйте! Ремонт запланирован на июнь.",
                    f"case-{case_id}",
                    case_id,
                    "sent",
                    1,
                    adapt(first_at[case_id]),
                )
                for i, case_id in enumerate(case_ids[: n * 9 // 10])
            ),
        )
        timed(
            "quarantine",
            lambda: Inserter(Quarantine, ["id", "network", "kind", "payload", "error", "created_at"]).insert(
                (
                    k + 1,
                    "vk",
                    "comment",
                    '{"id": "x"}',
                    f"нет поля text ({k})",
                    adapt(now - year + year / 20_000 * k),
                )
                for k in range(20_000)
            ),
        )
        if connection.vendor == "postgresql":
            from django.core.management.color import no_style

            with connection.cursor() as c:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(),
                    [
                        Message,
                        Comment,
                        Draft,
                        CaseEvent,
                        Deadline,
                        Violation,
                        Notification,
                        Notice,
                        Mail,
                        Outbox,
                        Quarantine,
                    ],
                ):
                    c.execute(sql)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA synchronous=NORMAL")
    print(f"  phases: {phases} (cases: {ids['phases']})", file=sys.stderr)


def sizes() -> dict[str, int]:
    from django.apps import apps

    out = {}
    for table in BIG_TABLES:
        app, _model = table.split("_", 1)
        for m in apps.get_app_config(app).get_models():
            if m._meta.db_table == table:
                out[table] = m.objects.count()
    return out


# ------------------------------------------------------------------------------------------------ measure
def page_list() -> dict[str, tuple[str, str, str]]:
    """key → (who, url, label)."""
    from django.urls import reverse

    from otklik.cases.models import Case
    from otklik.governor.models import Watch
    from otklik.org.models import Person

    inbox, cases = reverse("cases:inbox"), reverse("cases:list")
    messages = reverse("intake:message_list")
    executor = (
        Person.objects.get(username="exec1") if Person.objects.filter(username="exec1").exists() else None
    )
    executor_name = executor.username if executor else "curator"
    watch = Watch.objects.order_by("-started_at").values_list("pk", flat=True).first()
    some_case = Case.objects.order_by("-id").values_list("pk", flat=True).first()
    return {
        "review_queue": ("curator", reverse("cases:review_queue"), "review queue (the peer page)"),
        "inbox": ("curator", inbox, "curator inbox"),
        "inbox_youtube": ("curator", inbox + "?network=youtube", "curator inbox, network YouTube"),
        "inbox_search": ("curator", inbox + "?q=" + "Сообщение%2012345.", "curator inbox, text search"),
        "inbox_search_none": ("curator", inbox + "?q=" + "трамвай", "curator inbox, search without a hit"),
        "inbox_excluded": ("curator", inbox + "?filter=excluded", "«Исключённые (модерация)»"),
        "inbox_excluded_2": ("curator", inbox + "?filter=excluded&page=3", "«Исключённые», page 3"),
        "case_list": ("curator", cases, "case list (curator)"),
        "case_list_review": ("curator", cases + "?status=review&page=5", "case list, status filter, page 5"),
        "case_list_executor": (executor_name, cases, "case list (executor)"),
        "my_queue": (executor_name, reverse("cases:my_queue"), "my queue (executor)"),
        "notifications": ("curator", reverse("cases:notifications"), "notifications (curator)"),
        "notifications_deep": (
            "curator",
            reverse("cases:notifications") + "?page=200",
            "notifications, page 200",
        ),
        "notices": ("curator", reverse("notify:notices"), "notices"),
        "messages": ("curator", messages, "intake message list"),
        "messages_youtube": (
            "curator",
            messages + "?network=youtube&page=20",
            "message list, YouTube, page 20",
        ),
        "import": ("curator", reverse("intake:import"), "import page"),
        "governor_posts": ("curator", reverse("governor:posts"), "Governor's post list"),
        "governor_post": ("curator", reverse("governor:post", args=[watch]), "a Governor's post page"),
        "dashboard_office": ("curator", reverse("reports:dashboard"), "reports dashboard (office)"),
        "dashboard_head": ("head", reverse("reports:dashboard"), "reports dashboard (a body's head)"),
        "record": (executor_name, reverse("reports:my_record"), "a person's record"),
        "case_detail": ("curator", reverse("cases:detail", args=[some_case]), "a case page"),
        "admin_message": ("admin", "/admin/intake/message/", "admin: messages"),
        "admin_message_search": ("admin", "/admin/intake/message/?q=12345", "admin: messages, search"),
        "admin_message_change": ("admin", f"/admin/intake/message/{some_case}/change/", "admin: a message"),
        "admin_quarantine": ("admin", "/admin/intake/quarantine/", "admin: quarantine"),
        "admin_outbox": ("admin", "/admin/intake/outbox/", "admin: outbox"),
        "admin_outbox_change": ("admin", "/admin/intake/outbox/1/change/", "admin: an outbox row"),
        "admin_mail": ("admin", "/admin/notify/mail/", "admin: mail"),
        "admin_notice": ("admin", "/admin/notify/notice/", "admin: notices"),
        "admin_comment": ("admin", "/admin/governor/comment/", "admin: Governor's comments"),
        "admin_audit": ("admin", "/admin/audit/auditentry/", "admin: audit log"),
    }


def measure(n: int, only: str) -> dict[str, dict[str, Any]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from otklik.org.models import Person

    out: dict[str, dict[str, Any]] = {}
    for key, (who, url, label) in page_list().items():
        if only and only not in key and key != "review_queue":
            continue
        client = Client()
        client.force_login(Person.objects.get(username=who))
        first = client.get(url)  # warm-up: per-process caches, the inbox floor
        if first.status_code != 200:
            out[key] = {"label": label, "url": url, "status": first.status_code}
            print(f"  {key}: HTTP {first.status_code}", file=sys.stderr)
            continue
        samples = []
        for _ in range(n):
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (key, response.status_code)
        slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]))
        row: dict[str, Any] = {
            "label": label,
            "url": url,
            "queries": len(ctx.captured_queries),
            "p50_ms": round(statistics.median(samples), 1),
            "slowest_ms": round(float(slowest["time"]) * 1000, 1),
            "counts": sum("COUNT(" in q["sql"].upper() for q in ctx.captured_queries),
        }
        if connection.vendor == "postgresql":
            row.update(plan(slowest["sql"]))
        out[key] = row
        print(f"  {key}: {row}", file=sys.stderr, flush=True)
    peer = out.get("review_queue", {}).get("p50_ms") or 1
    for row in out.values():
        if "p50_ms" in row:
            row["x_peer"] = round(row["p50_ms"] / peer, 1)
    return out


def plan(sql: str) -> dict[str, Any]:
    """The plan of one captured query (its parameters are already in the captured text)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        (raw,) = c.fetchone()
    root = (raw if isinstance(raw, list) else json.loads(raw))[0]
    seq: list[str] = []

    def walk(node: dict[str, Any]) -> None:
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in BIG_TABLES:
            seq.append(
                f"{node['Relation Name']} ({node.get('Actual Rows', 0) * node.get('Actual Loops', 1):,} rows)"
            )
        for child in node.get("Plans", []):
            walk(child)

    walk(root["Plan"])
    return {
        "plan_cost": round(root["Plan"]["Total Cost"]),
        "plan_ms": round(root["Execution Time"], 1),
        "seq_scans": ", ".join(seq) or "—",
    }


# ------------------------------------------------------------------------------------------------ report
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def section(r: dict[str, Any]) -> str:
    s = r["sizes"]
    pg = r["vendor"] == "postgresql"
    lines = [
        f"### {LABELS.get(r['vendor'], r['vendor'])}",
        "",
        f"Run {r['date']} on {r['machine']}, {r['server']}; load average {r['load']} (2 cores shared).",
        f"Rows: {s.get('intake_message', 0):,} messages, {s.get('cases_case', 0):,} cases,"
        f" {s.get('cases_deadline', 0):,} deadlines, {s.get('cases_draft', 0):,} drafts,"
        f" {s.get('cases_caseevent', 0):,} events, {s.get('cases_notification', 0):,} notifications,"
        f" {s.get('analysis_suggestion', 0):,} suggestions, {s.get('notify_mail', 0):,} e-mails,"
        f" {s.get('intake_outbox', 0):,} outbox rows, {s.get('intake_quarantine', 0):,} quarantined payloads.",
        "",
        "| page | queries | COUNT queries | median ms | × peer | slowest query ms |"
        + (" plan cost | plan ms | sequential scans of big tables |" if pg else ""),
        "|---|---:|---:|---:|---:|---:|" + ("---:|---:|---|" if pg else ""),
    ]
    for row in r["pages"].values():
        if "p50_ms" not in row:
            lines.append(f"| {row['label']} | HTTP {row.get('status')} |")
            continue
        line = (
            f"| {row['label']} | {row['queries']} | {row['counts']} | {row['p50_ms']} | {row['x_peer']} |"
            f" {row['slowest_ms']} |"
        )
        if pg:
            line += f" {row.get('plan_cost', '')} | {row.get('plan_ms', '')} | {row.get('seq_scans', '')} |"
        lines.append(line)
    return "\n".join(lines) + "\n"


def write(result: dict[str, Any]) -> None:
    stored: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    stored[result["vendor"]] = result
    RESULTS.write_text(json.dumps(stored, ensure_ascii=False, indent=1) + "\n")
    head = [
        HEADING,
        "",
        "Generated by `bench/pages/run.py` (do not edit by hand; re-run the script; each database rewrites only"
        " its own subsection; raw figures in `bench/pages/results.json`).",
        "Data: a year of work built with `bench/cases/run.py`'s raw inserts plus the messages no one put in a case,"
        " comments under 200 Governor's posts, drafts, events, closed deadlines (5 % breached), notifications,"
        " notices, e-mails, the outbox and the quarantine. Each page: one warm-up request, then the median of the"
        " measured requests, signed in, through the test client with templates rendered. «× peer» is the page's"
        " median over the review queue's in the same run (one small indexed query), so runs on a loaded machine"
        " stay comparable. On PostgreSQL the page's slowest query is run again under `EXPLAIN (ANALYZE, BUFFERS)`.",
        "",
        "Before the fixes of 2026-11-29 (same data, same script; `tests/test_pages_scale.py` keeps them):",
        "",
        "- admin, a message's (a Governor's comment's, an alert's) change form: did not finish in 2 minutes on either"
        " database, one `<option>` per message of the year; now look-up fields (`raw_id_fields`).",
        "- notifications: SQLite 267 ms, PostgreSQL 212 ms (a hash join over every case, plan cost 5,275) for a"
        " page that shows only the case's number; now no join, index `notification_recent`.",
        "- «Исключённые», page 3 (and the last page of any length): SQLite 896 ms, PostgreSQL 2,451 ms, every"
        " unrouted message of the year tested; now only those the moderation ever blocked (partial index"
        " `suggestion_blocked`) or a curator decided on.",
        "- admin lists: two `COUNT(*)` per view (the filtered rows and the whole table again); now one"
        " (`show_full_result_count = False`). The outbox list sorted every row joined with its message (SQLite"
        " 253 ms), the Governor's comments joined watch → post and sorted by the message's time (172 ms), notices"
        " sorted the table; now `list_select_related`, indexes `outbox_recent`, `notice_all_recent`, order by id.",
        "- a person's record: SQLite 424 ms, PostgreSQL 692 ms, every violation of all time built into a row (2,250"
        " for the benchmark's executor: loading them with their deadline, body, person and case took ~300 ms, the"
        " working-time engine ~10 ms); now a page of 50, latest due first (`cases.paging.page_of`), the totals from"
        " five columns per violation (`deficiencies.lateness`, still exact working minutes), and a filter by days of"
        " detection.",
        "- the office's dashboard on SQLite: 567 ms, the week's per-day counts ran `TruncDate` in Python on every"
        " message of the week; now the seven Moscow days' bounds are computed in Python and counted in one query"
        " (`dashboard.week_trend`, a `CASE` per day), same figures.",
        "- the inbox's text search: `icontains`, which SQLite folds for Latin letters only, so «сообщение» found"
        " none of the «Сообщение …» messages (SQLite 216 ms with a hit, 357 ms without); PostgreSQL 1,794 / 2,223"
        " ms, a sequential read compiled with JIT for about 1 s. Now `web.search` (case, «ё»/«е» and the width of"
        " gaps ignored; the author's name searched too). PostgreSQL runs the regular expression over the messages"
        " with JIT compilation off for that transaction (`web.search.without_jit`; `pg_trgm` GIN indexes answered"
        " at once but cut the intake benchmark's pipeline below its 5,000 messages/s target, so migration intake"
        " 0012 drops them). On SQLite an FTS5 trigram table kept by triggers (migration intake 0011) gives the"
        " candidates, at most 2,000 (more common words are left to the time-ordered read, which meets a page of"
        " matches among the newest messages at once), and the regular expression decides. On this"
        " data (300,000 messages, SQLite; scratch timing of the query alone, 2026-11-29): «Сообщение 12345.» 251 ms"
        " with `icontains`, 1,130 ms with the expression alone, 2 ms indexed; «трамвай» (no hit) 203 / 1,029 / 1"
        " ms. The price, in docs/benchmarks.md § Intake: SQLite writes the trigram index with every message (its"
        " file grew from 255 to 369 MB here).",
        "- the admin's message search uses the inbox's search (and a part of the network's id); the other admin"
        " searches use the same lookup (`text__folded`) without an index.",
        "",
        "Left as it is: on PostgreSQL the inbox's search reads the unrouted messages of the year with the regular"
        " expression (0.4–0.7 s here, 18–32 × peer; JIT off). Since 2026-11-30 a word is also searched in all its"
        " dictionary forms (`web.search.Word.forms`): the expression is larger and the same searches took 1.2–2.0"
        " s, 36–60 × peer, on a machine loaded by other work (the peer page 34 ms instead of 20); written as one"
        " expression sharing the forms' beginnings (`web.search._trie`) it takes about 60 % of the plain"
        " alternation's time (a scratch timing over 300,000 rows: «сообщение» 1.79 s as an alternation, 1.15 s"
        " shared, 0.65 s as a plain substring). SQLite is unaffected (its trigram table narrows first: 16 ms);"
        " `pg_trgm` indexes would answer at once but cost intake a third of its throughput (docs/benchmarks.md §"
        " Intake). Since 2026-11-30 an inbox search that finds nothing also counts the excluded messages that"
        " match (at most 21; «curator inbox, search without a hit»: 8 → 11 queries).",
        "",
        "Since the evening of 2026-11-30 every page reads the header's unread notices (at most 100 ids over the"
        " index `notification_unread`, no COUNT): one query more on each page of the tables below; «Согласование»"
        " (the peer) also reads its page's drafts on review, and a case page who may hand the body's work over"
        " (SQLite, same data: the peer 5 → 7 queries, «Мои обращения» 10 → 11, a case page 21 → 23).",
        "",
        "Since the afternoon of 2026-11-30 the list of the Governor's posts counts each post's questions"
        " no body has («Без органа»: 7 → 8 queries), and a case page reads the replies under the other authors'"
        " messages of a combined case from its timeline and the replies the API failed to publish there, while"
        " loading the case's topic and place with it (23 → 25).",
        "",
    ]
    body = [section(stored[v]) for v in ("sqlite", "postgresql") if v in stored]
    text_ = "\n".join(head) + "\n" + "\n".join(body) + "\n"
    text = DOC.read_text()
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: text_, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + text_
    DOC.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
