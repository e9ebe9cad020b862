"""Benchmark of intake (not a test): messages per second from raw VK payloads to stored ``Message`` rows
through the real pipeline (parse, sanitise, bulk upsert, reply linking, cursor save), against the physical
baseline of a plain ``executemany`` INSERT of the same rows into the same table, measured in the same run.

    .venv/bin/python bench/intake/run.py                                # SQLite in a temporary directory
    scripts/with-postgres.sh .venv/bin/python bench/intake/run.py        # PostgreSQL (throwaway cluster)

Each run rewrites its own database's line in the "## Intake" section of docs/benchmarks.md (SQLite and
PostgreSQL rows are kept side by side); other sections are left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Intake"
TARGET_RATE = 5_000
TARGET_RATIO = 3.0
OWNER = -200000001
SENTENCES = [
    "Когда отремонтируют дорогу на Сиверскую?",
    "В поликлинике очередь с семи утра, талонов нет.",
    "Третий день нет горячей воды в доме 5 на улице Чкалова.",
    "Спасибо за оперативный ответ!",
    "Автобус 431 опять не пришёл, люди мёрзнут на остановке.",
    "Почему не вывозят мусор? Контейнеры переполнены &quot;уже неделю&quot;.",
    "Освещение во дворе не работает с октября.",
    "Где записаться к педиатру, если Госуслуги не дают?",
]
COLUMNS = [
    "network", "external_id", "source_id", "url", "author_id", "author_name", "author_url", "text_raw", "text",
    "attachments", "published_at", "received_at", "post_id", "reply_to_id", "reply_to_external_id", "metrics",
    "raw", "parse_error",
]  # fmt: skip


def payloads(n: int, seed: int = 7) -> list[Any]:
    """VK ``wall.getComments`` items as the API sends them: 80 % top-level, 20 % thread replies."""
    from otklik.integrations.base import Payload

    rnd = random.Random(seed)
    directory = {
        "profiles": [{"id": 1000 + i, "first_name": "Имя", "last_name": f"Фамилия{i}"} for i in range(200)],
        "groups": [],
    }
    items = []
    for i in range(n):
        cid = 10_000 + i
        post = 1 + i // 500
        item: dict[str, Any] = {
            "id": cid,
            "from_id": 1000 + rnd.randrange(200),
            "date": 1732700000 + i,
            "text": " ".join(rnd.sample(SENTENCES, 2)),
            "post_id": post,
            "owner_id": OWNER,
            "parents_stack": [],
            "likes": {"can_like": 1, "count": rnd.randrange(20), "user_likes": 0, "can_publish": 1},
        }
        if i % 5 == 4:
            parent = cid - rnd.randrange(1, 4)
            item["parents_stack"] = [parent]
            item["reply_to_comment"] = parent
        items.append(
            Payload("comment", {"owner_id": OWNER, "post_id": post, "item": item, "_directory": directory})
        )
    return items


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--page", type=int, default=1000, help="payloads per transaction (one network page)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        os.environ["OTKLIK_VAR_DIR"] = tempfile.mkdtemp(prefix="otklik-bench-intake-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from otklik.intake.models import Message, Source
    from otklik.intake.pipeline import ingest_payloads
    from otklik.integrations.vk.connector import parse_payload

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    source, _ = Source.objects.get_or_create(
        network="vk", kind="community", title="bench", external_id="200000001"
    )
    raw = payloads(args.messages)
    import gc

    gc.freeze()  # the input fixture (50,000 payloads) is not intake's state: keep the collector off it

    def clear() -> None:
        with transaction.atomic():
            Message.objects.all().delete()

    table = connection.ops.quote_name(Message._meta.db_table)
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})"  # noqa: S608 - constant names

    def run_pipeline() -> float:
        t0 = time.perf_counter()
        for i in range(0, len(raw), args.page):
            ingest_payloads("vk", raw[i : i + args.page], parse_payload, source=source, cursor={"page": i})
        return time.perf_counter() - t0

    def run_plain(rows: list[tuple[Any, ...]]) -> float:
        t0 = time.perf_counter()
        for i in range(0, len(rows), args.page):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, rows[i : i + args.page])
        return time.perf_counter() - t0

    # The machine is shared: each phase runs --repeat times, alternating, on an empty table; the best counts.
    pipeline_times, repeat_times, plain_times = [], [], []
    rows: list[tuple[Any, ...]] = []
    linked = 0
    for _ in range(args.repeat):
        clear()
        pipeline_times.append(run_pipeline())
        assert Message.objects.count() == args.messages
        linked = Message.objects.filter(reply_to__isnull=False).count()
        repeat_times.append(run_pipeline())  # the same payloads again: every row an update
        assert Message.objects.count() == args.messages
        if not rows:
            # The same rows, as the database holds them (reply links dropped: a plain insert has no parents).
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM {table} ORDER BY id")  # noqa: S608
                rows = [tuple(_param(v) for v in row) for row in cursor.fetchall()]
            rows = [(*r[:13], None, *r[14:]) for r in rows]
        clear()
        plain_times.append(run_plain(rows))
        assert Message.objects.count() == args.messages
    pipeline_s, repeat_s, plain_s = min(pipeline_times), min(repeat_times), min(plain_times)

    rate = args.messages / pipeline_s
    plain_rate = args.messages / plain_s
    ratio = pipeline_s / plain_s
    result = {
        "vendor": vendor,
        "messages": args.messages,
        "page": args.page,
        "replies_linked": linked,
        "pipeline_s": round(pipeline_s, 3),
        "pipeline_rate": round(rate),
        "repeat_rate": round(args.messages / repeat_s),
        "plain_rate": round(plain_rate),
        "ratio": round(ratio, 2),
        "db_version": _db_version(connection),
        "repeat": args.repeat,
    }
    print(json.dumps(result, ensure_ascii=False, indent=1))
    ok = rate >= TARGET_RATE and ratio <= TARGET_RATIO
    if not args.no_write:
        write_line(result)
    print("targets met" if ok else f"TARGET MISSED: need >= {TARGET_RATE}/s and <= {TARGET_RATIO}x")
    return 0 if ok else 1


def _param(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _db_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def write_line(r: dict[str, Any]) -> None:
    text = DOC.read_text("utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    match = pattern.search(text)
    rows: dict[str, str] = {}
    if match:
        for line in match.group(0).splitlines():
            if line.startswith("| SQLite") or line.startswith("| PostgreSQL"):
                rows[line.split("|")[1].strip().split()[0]] = line
    name = "PostgreSQL" if r["vendor"] == "postgresql" else "SQLite"
    verdict = "yes" if r["pipeline_rate"] >= TARGET_RATE and r["ratio"] <= TARGET_RATIO else "**no**"
    rows[name] = (
        f"| {r['db_version']} | {r['messages']:,} | {r['pipeline_rate']:,} | {r['repeat_rate']:,} | "
        f"{r['plain_rate']:,} | {r['ratio']:.2f}× | {verdict} |"
    )
    today = datetime.now(UTC).date().isoformat()
    section = f"""{HEADING}

Generated by `bench/intake/run.py` (do not edit by hand; re-run the script; each database's row is replaced by
its own run). Last run {today} on {platform.processor() or platform.machine()}, Python {platform.python_version()}.

- Workload: VK `wall.getComments` items as the API sends them (80 % top-level comments, 20 % thread replies),
  {r["page"]:,} payloads per transaction, as one network page.
- **pipeline**: raw payload → parse → sanitise text (HTML/entities, UTF-8, NUL) → clean raw JSON → bulk upsert
  on `(network, external_id)` → link replies to parents → save the cursor, in one transaction per page.
- **repeat**: the same payloads delivered again (every row an update).
- **plain insert**: `executemany` INSERT of the same rows (as stored) into the same table with the same
  indexes, one transaction per page: the physical floor. Targets: ≥ {TARGET_RATE:,} msg/s and ≤ {TARGET_RATIO:g}× the plain insert time.
- Each row is one run (the best of {r["repeat"]} alternating rounds; the 50,000 input payloads are frozen out of the
  garbage collector, as they are the benchmark's fixture, not intake's state). The ratio of two short timings moves
  from run to run on a shared machine: ten SQLite runs on 2026-11-28 at commit 5802630 gave 2.30–3.11× (median
  2.62×, one of ten above 3×); at 8dd4e30, before this session's cuts, 2.81–3.28× (median 2.97×).
- The inbox's search index (2026-11-29): on SQLite every stored message is also written to an FTS5 trigram table
  by triggers (migration intake 0011), in the pipeline and the plain insert alike, which the plain insert, row by
  row, pays more for: in one sitting at 5919434 → 67f72d1, pipeline 19,012 → 10,037 msg/s, plain insert 56,302 →
  6,399 msg/s. On PostgreSQL `pg_trgm` GIN indexes were tried and dropped (migration 0012): the pipeline fell
  from 5,598 to 4,768 msg/s in an A/B run on a loaded machine and to 3,962 alone, under the target; the search
  reads the messages without them (docs/benchmarks.md § Staff pages).

| database | messages | pipeline msg/s | repeat msg/s | plain insert msg/s | pipeline / plain time | targets met |
|---|---:|---:|---:|---:|---:|---|
"""
    section += "\n".join(rows[k] for k in ("SQLite", "PostgreSQL") if k in rows) + "\n"
    if match:
        text = pattern.sub(lambda _: section + "\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text, "utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
