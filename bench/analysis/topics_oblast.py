#!/usr/bin/env python3
"""Topic suggestions (R-8.1) on Leningrad Oblast residents' messages: the shipped model against peers.

Run:  .venv/bin/python bench/analysis/topics_oblast.py [--model NAME=DIR ...] [--no-write]

The evaluation set is `bench/analysis/data/oblast_topics.jsonl` (written for this project, independently of the
model's training data: see the SOURCE.md beside it): messages like the ones residents write under the Governor's
and the districts' posts, each with its one ЦУР topic. In the same run:

- the shipped default model (`src/otklik/analysis/data/models/topics/`, or any model directory given with
  ``--model``; e.g. the model of an earlier commit, extracted with ``git archive``);
- the plain baseline (TF-IDF word 1–2 + char_wb 2–5, LinearSVC) trained on the same shipped training set
  (`otklik.analysis.topics.default_examples`);

each scored for top-1 and top-3 topic accuracy, topic-group accuracy, macro-F1 over the set's topics, and how many
of the set's topics the model can suggest at all. Rewrites the section "### ЦУР topics on Leningrad Oblast
messages" of docs/quality.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

DATA = ROOT / "bench" / "analysis" / "data" / "oblast_topics.jsonl"
HEADING = "### ЦУР topics on Leningrad Oblast messages"


def load_set() -> list[dict[str, str]]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(
    name: str, classes: list[str], proba: Any, items: list[dict[str, str]], groups: dict[str, str]
) -> dict[str, Any]:
    from sklearn.metrics import f1_score

    order = proba.argsort(axis=1)[:, ::-1][:, :3]
    top1 = [classes[row[0]] for row in order]
    top3 = [[classes[i] for i in row] for row in order]
    gold = [item["topic"] for item in items]
    labels = sorted(set(gold))
    known = set(classes)
    n = len(items)
    return {
        "name": name,
        "top1": sum(p == g for p, g in zip(top1, gold, strict=True)) / n,
        "top3": sum(g in t for t, g in zip(top3, gold, strict=True)) / n,
        "group": sum(groups.get(p) == groups.get(g) for p, g in zip(top1, gold, strict=True)) / n,
        "macro_f1": f1_score(gold, top1, labels=labels, average="macro", zero_division=0),
        "topics_known": sum(t in known for t in labels),
        "topics": len(labels),
        "messages_unreachable": sum(g not in known for g in gold),
        "top1_list": top1,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", action="append", default=[], help="NAME=DIR of a topic model to score too")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    import numpy as np

    from otklik.analysis import topics
    from otklik.analysis.linear import LinearTextModel
    from otklik.analysis.training import baseline_pipeline

    items = load_set()
    texts = [item["text"] for item in items]
    groups = topics.topic_groups()
    results = []
    models = [("shipped", topics.default_model_dir()), *[tuple(m.split("=", 1)) for m in args.model]]
    for name, directory in models:
        model = LinearTextModel.load(Path(directory))
        results.append(
            score(f"{name} ({model.version})", list(model.classes), model.predict_proba(texts), items, groups)
        )

    examples = topics.default_examples()
    started = time.perf_counter()
    baseline = baseline_pipeline().fit([e.text for e in examples], [e.topic for e in examples])
    fit_seconds = time.perf_counter() - started
    decision = np.asarray(baseline.decision_function(texts))
    results.append(
        score("baseline on the same training set", list(baseline.classes_), decision, items, groups)
    )

    lexicon = topics.default_examples_without_appeals()
    per_group = Counter(item["group"] for item in items)
    lines = [
        "Reproduce: `.venv/bin/python bench/analysis/topics_oblast.py"
        + "".join(f" --model '{m}'" for m in args.model)
        + "` (deterministic: the models are read, the baseline is fitted in the run; an earlier commit's model is "
        "taken out with `git archive COMMIT src/otklik/analysis/data/models/topics | tar -x -C DIR`).",
        "",
        f"The appeals of «Наш Санкт-Петербург» cover housing and city upkeep only, so the topics a Leningrad Oblast "
        f"curator sees most besides them (health, schools, transport, gas, social support …) rest on "
        f"`topic_lexicon.tsv` and the topic names. This measures the suggestion on "
        f"`bench/analysis/data/oblast_topics.jsonl`: {len(items)} messages written for this project as residents "
        f"write under the Governor's and the districts' posts (synthetic, not real messages; written "
        f"independently of the lexicon, by another author who did not see it — `bench/analysis/data/SOURCE.md`), "
        f"{len({i['topic'] for i in items})} of the 195 ЦУР topics, {len(per_group)} groups. The shipped training "
        f"set: {len(examples)} examples, {len(lexicon)} of them the lexicon's and the topic names. Baseline fit: "
        f"{fit_seconds:.0f} s.",
        "",
        "| model | top-1 topic | top-3 topic | topic group | macro-F1 | the set's topics it can suggest | messages whose topic it cannot suggest |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['name']} | {r['top1']:.3f} | {r['top3']:.3f} | {r['group']:.3f} | {r['macro_f1']:.3f} | "
            f"{r['topics_known']} of {r['topics']} | {r['messages_unreachable']} |"
        )
    shipped = results[0]
    by_group: dict[str, list[int]] = {}
    for item, guess in zip(items, shipped["top1_list"], strict=True):
        hit = by_group.setdefault(item["group"], [0, 0])
        hit[0] += guess == item["topic"]
        hit[1] += 1
    lines += [
        "",
        "The shipped model's top-1 by group: "
        + "; ".join(f"{g} {h}/{n}" for g, (h, n) in sorted(by_group.items(), key=lambda kv: -kv[1][1]))
        + ".",
        "",
        "Read with care: the set is synthetic, written by one author who knew the topic names, so it is likely "
        "easier than real comments and says nothing of the real mix of an oblast's messages. What it does show: "
        "every topic can now be suggested, and what the lexicon teaches where the city's appeals are silent. "
        "Curators' confirmed topics retrain the model weekly (`otklik retrain_topics`) and replace this cold start.",
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        from train_analysis_models import replace_section

        replace_section(HEADING, body)


if __name__ == "__main__":
    main()
