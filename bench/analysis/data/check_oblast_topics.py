#!/usr/bin/env python3
"""Check `oblast_topics.jsonl` against the ЦУР taxonomy.

Run:  python3 bench/analysis/data/check_oblast_topics.py

Checks: every line is a JSON object with exactly the keys id, text, topic, group; ids are unique and of the form
ob-NNNN; texts are unique and 20–400 characters long; every topic is an exact key of
src/otklik/org/data/taxonomy_cur_topic2group.json and its group is the taxonomy's group; every one of the taxonomy's
topics occurs at least twice. Prints counts per group and exits non-zero on any failure.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
DATA = HERE / "oblast_topics.jsonl"
TAXONOMY = ROOT / "src" / "otklik" / "org" / "data" / "taxonomy_cur_topic2group.json"
MIN_PER_TOPIC = 2


def main() -> int:
    taxonomy: dict[str, str] = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    errors: list[str] = []
    ids: Counter[str] = Counter()
    texts: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    lengths: list[int] = []
    lines = DATA.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: invalid JSON ({exc})")
            continue
        if not isinstance(item, dict) or set(item) != {"id", "text", "topic", "group"}:
            errors.append(f"line {n}: expected an object with keys id, text, topic, group")
            continue
        if not all(isinstance(v, str) for v in item.values()):
            errors.append(f"line {n}: all values must be strings")
            continue
        ids[item["id"]] += 1
        if not re.fullmatch(r"ob-\d{4}", item["id"]):
            errors.append(f"line {n}: bad id {item['id']!r}")
        text = item["text"]
        texts[text] += 1
        lengths.append(len(text))
        if not 20 <= len(text) <= 400 or text != text.strip() or "\n" in text:
            errors.append(f"line {n}: text length {len(text)} or whitespace out of bounds")
        topic = item["topic"]
        if topic not in taxonomy:
            errors.append(f"line {n}: topic {topic!r} is not a taxonomy key")
            continue
        if item["group"] != taxonomy[topic]:
            errors.append(f"line {n}: group {item['group']!r} != taxonomy group {taxonomy[topic]!r}")
        topics[topic] += 1
        groups[item["group"]] += 1
    errors += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    errors += [f"duplicate text {t[:60]!r}" for t, c in texts.items() if c > 1]
    errors += [f"topic {t!r}: {topics[t]} message(s)" for t in taxonomy if topics[t] < MIN_PER_TOPIC]

    print(f"messages: {len(lines)}; ids unique: {len(ids)}; topics covered: {len(topics)}/{len(taxonomy)}")
    per_topic = Counter(topics.values())
    print("messages per topic: " + ", ".join(f"{k}: {v} topics" for k, v in sorted(per_topic.items())))
    if lengths:
        lengths.sort()
        print(f"text length: min {lengths[0]}, median {lengths[len(lengths) // 2]}, max {lengths[-1]}")
    print("per group (messages / topics in set / topics in taxonomy):")
    tax_groups = Counter(taxonomy.values())
    for group, count in groups.most_common():
        in_set = sum(1 for t in topics if taxonomy[t] == group)
        print(f"  {count:4d}  {in_set:3d}/{tax_groups[group]:<3d} {group}")
    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
