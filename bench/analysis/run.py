#!/usr/bin/env python3
"""Benchmark of `otklik analyze` (issue 6): messages per second on one core after start-up.

Run:  .venv/bin/python bench/analysis/run.py [--messages 5000] [--no-write]

Inputs: the first petitions of appeals-spb (`../shared/data/appeals-spb`, real citizen messages, median about
50 characters), taken in file order, each with a Leningrad Oblast place prepended to every third message so
that the gazetteer and routing do real work. The process is pinned to one CPU (sched_setaffinity) with BLAS
threads at 1. Measured: the start-up (models, gazetteer, competence matrix), then `analyze_lines` over the
JSON Lines input exactly as `otklik analyze` runs it (moderation with the classifier, topic model, place,
bodies, importance, repeats among the earlier lines), output serialised to JSON. Two passes: a cold one
(pymorphy3 parse cache empty) and a warm one over other messages. Without DATABASE_URL or OTKLIK_VAR_DIR it
uses a throwaway SQLite database in a temporary directory. Rewrites the "## Analysis" section of
docs/benchmarks.md and leaves the other sections alone. The target is at least 300 messages/s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
if "DATABASE_URL" not in os.environ and "OTKLIK_VAR_DIR" not in os.environ:
    # A throwaway SQLite database: the benchmark must not migrate or fill the developer's var/.
    os.environ["OTKLIK_VAR_DIR"] = tempfile.mkdtemp(prefix="otklik-bench-analysis-")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

DOC = ROOT / "docs" / "benchmarks.md"
HEADING = "## Analysis"
APPEALS = ROOT.parent / "shared" / "data" / "appeals-spb" / "appeals-2020-10_2021-02.jsonl.gz"
PLACES = [
    "В Гатчине",
    "Во Всеволожске",
    "В Кудрово",
    "Мурино:",
    "В Тосно",
    "В Луге",
    "Из Выборга",
    "В Кириши",
]


def messages(n: int, offset: int) -> list[str]:
    out: list[str] = []
    with gzip.open(APPEALS, "rt", encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k < offset:
                continue
            item = json.loads(line)
            if not item["petitions"]:
                continue
            text = " ".join(item["petitions"][0]["text"].replace("[скрыто]", " ").split())
            if len(out) % 3 == 0:
                text = f"{PLACES[len(out) % len(PLACES)]} {text[:1].lower()}{text[1:]}"
            out.append(json.dumps({"id": len(out) + offset, "text": text}, ensure_ascii=False))
            if len(out) >= n:
                break
    return out


def machine() -> str:
    cpu = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = re.sub(r"\s+", " ", line.split(":", 1)[1]).strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPU (load average {os.getloadavg()[0]:.1f} at the start)"


def replace_section(body: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == HEADING), None)
    new = [HEADING, "", *body.strip("\n").splitlines(), ""]
    if start is None:
        if lines and lines[-1].strip():
            lines.append("")
        lines += new
    else:
        end = next((j for j in range(start + 1, len(lines)) if lines[j].startswith("## ")), len(lines))
        lines[start:end] = new
    DOC.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    load = machine()

    t0 = time.perf_counter()
    import django

    django.setup()
    from django.core.management import call_command

    from otklik.analysis.cli import Analyzer, analyze_lines

    call_command("migrate", verbosity=0)
    from otklik.org.loaders import load_directory

    load_directory()
    analyzer = Analyzer()
    analyzer.analyze_batch([{"id": 0, "text": "В Гатчине нет воды", "_line": 0}])
    startup = time.perf_counter() - t0

    results = []
    for name, offset in (("cold parse cache", 0), ("warm (other messages, same process)", 20_000)):
        lines = messages(args.messages, offset)
        analyzer.repeats = type(analyzer.repeats)()
        t1, c1 = time.perf_counter(), time.process_time()
        out = [json.dumps(o, ensure_ascii=False) for o in analyze_lines(lines, analyzer)]
        seconds, cpu = time.perf_counter() - t1, time.process_time() - c1
        assert len(out) == len(lines)
        results.append((name, len(lines), seconds, cpu))

    import sklearn

    body = f"""Generated by `bench/analysis/run.py` on {dt.date.today().isoformat()} (do not edit by hand; re-run the script).

- Machine: {load}; pinned to one CPU, BLAS threads 1; Python {platform.python_version()},
  scikit-learn {sklearn.__version__}. Database: a throwaway SQLite one (or DATABASE_URL), migrated, directory loaded.
- Input: first petitions of `appeals-spb` (real messages), a Leningrad Oblast place prepended to every third.
- Start-up (Django, migrations check, directory, moderation and topic models, gazetteer, competences): {startup:.1f} s.
- Target (issue 6): `otklik analyze` at least 300 messages/s on one core after start-up.

- "per CPU second" divides by the process's CPU time (one core): on a shared machine the wall clock also
  counts the time other processes held the core.

| pass | messages | wall, s | messages/s (wall) | CPU, s | messages per CPU second |
|---|---:|---:|---:|---:|---:|
""" + "\n".join(f"| {n} | {k} | {s:.2f} | {k / s:.0f} | {c:.2f} | {k / c:.0f} |" for n, k, s, c in results)
    print(body)
    if not args.no_write:
        replace_section(body)


if __name__ == "__main__":
    main()
