#!/usr/bin/env python3
"""Train the shipped analysis models from shared/data and measure them; writes the section of docs/quality.md.

Run:  .venv/bin/python scripts/train_analysis_models.py moderation   (→ src/otklik/analysis/data/models/moderation.joblib)
      .venv/bin/python scripts/train_analysis_models.py topics       (→ src/otklik/analysis/data/topics/…)
      .venv/bin/python scripts/train_analysis_models.py topics-model (→ src/otklik/analysis/data/models/topics/)
      .venv/bin/python scripts/train_analysis_models.py topics-eval  (category / reason against the baseline)
      .venv/bin/python scripts/train_analysis_models.py topics-ceiling  (what labels of the test months add)

Only the fitted model (moderation) or a small derived training set (topics) goes into the package; the
product never reads shared/data.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SHARED = Path("/work/shared/data")
QUALITY = ROOT / "docs" / "quality.md"
SEED = 20240601
APPEALS_FIT = 6000


def _level(line: str) -> int:
    return (
        len(line) - len(line.lstrip("#")) if line.startswith("#") and line.lstrip("#").startswith(" ") else 0
    )


def replace_section(heading: str, body: str, parent: str = "## Topics") -> None:
    """Replace only our own section of docs/quality.md (up to the next heading of the same or a higher
    level), keeping every other section. A missing '###' section goes at the end of ``parent``."""
    text = QUALITY.read_text(encoding="utf-8") if QUALITY.exists() else "# Quality\n"
    lines = text.splitlines()
    level = _level(heading)
    new = [heading, "", *body.strip("\n").splitlines(), ""]

    def end_of(start: int, lvl: int) -> int:
        return next((j for j in range(start + 1, len(lines)) if 0 < _level(lines[j]) <= lvl), len(lines))

    start = next((i for i, line in enumerate(lines) if line.strip() == heading), None)
    if start is not None:
        lines[start : end_of(start, level)] = new
    elif level > 2:
        top = next((i for i, line in enumerate(lines) if line.strip() == parent), None)
        if top is None:
            if lines and lines[-1].strip():
                lines.append("")
            lines += [parent, ""]
            top = len(lines) - 2
        at = end_of(top, 2)
        lines[at:at] = new
    else:
        if lines and lines[-1].strip():
            lines.append("")
        lines += new
    QUALITY.write_text("\n".join(lines).rstrip("\n") + "\n", encoding="utf-8")


# --- moderation ---------------------------------------------------------------------------------------


def _moderation_data() -> tuple[list[tuple[str, int]], list[tuple[str, list[str]]]]:
    toxic: list[tuple[str, int]] = []
    with (SHARED / "moderation" / "toxic_2ch_pikabu.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            toxic.append((row["comment"].strip(), int(float(row["toxic"]))))
    detox: list[tuple[str, list[str]]] = []
    with (SHARED / "moderation" / "detox_train.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            neutral = [
                row[k] for k in ("neutral_comment1", "neutral_comment2", "neutral_comment3") if row.get(k)
            ]
            detox.append((row["toxic_comment"].strip(), neutral))
    return toxic, detox


def _split(items: list[Any], share: float, rng: random.Random) -> tuple[list[Any], list[Any]]:
    items = list(items)
    rng.shuffle(items)
    cut = int(len(items) * (1 - share))
    return items[:cut], items[cut:]


def train_moderation() -> None:
    import joblib
    import sklearn
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from otklik.analysis.moderation import classifier_text, lexicon_reasons

    rng = random.Random(SEED)
    toxic, detox = _moderation_data()
    toxic_train, toxic_test = _split(toxic, 0.2, rng)
    detox_train, detox_test = _split(detox, 0.2, rng)
    toxic_fit, _toxic_val = _split(toxic_train, 0.15, rng)
    detox_fit, detox_val = _split(detox_train, 0.15, rng)

    # Appeals to the authorities (St Petersburg portal, moderated before publication) should almost never be
    # blocked: APPEALS_FIT of them are ordinary negatives in training, 3000 others bound the threshold
    # (≤ 0.5 % blocked), a third sample of 3000 is reported below.
    appeals = []
    with gzip.open(SHARED / "appeals-spb" / "appeals-2020-10_2021-02.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if item["petitions"]:
                appeals.append(item["petitions"][0]["text"])
    random.Random(SEED).shuffle(appeals)
    appeals_val, appeals_test = appeals[:3000], appeals[3000:6000]
    appeals_fit = appeals[6000 : 6000 + APPEALS_FIT]

    def flatten(tox: list[tuple[str, int]], dtx: list[tuple[str, list[str]]]) -> tuple[list[str], list[int]]:
        texts = [t for t, _ in tox] + [t for t, _ in dtx] + [n for _, ns in dtx for n in ns] + appeals_fit
        labels = [y for _, y in tox] + [1] * len(dtx) + [0] * sum(len(ns) for _, ns in dtx)
        labels += [0] * len(appeals_fit)
        return [classifier_text(t) for t in texts], labels

    x_fit, y_fit = flatten(toxic_fit, detox_fit)
    model = Pipeline(
        [
            (
                "features",
                FeatureUnion(
                    [
                        (
                            # Letter case kept: shouting and disguised capitals are signals too.
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb",
                                ngram_range=(1, 5),
                                min_df=2,
                                max_features=120000,
                                sublinear_tf=True,
                                lowercase=False,
                            ),
                        ),
                        (
                            "words",
                            TfidfVectorizer(
                                ngram_range=(1, 2), min_df=1, max_features=60000, sublinear_tf=True
                            ),
                        ),
                    ]
                ),
            ),
            ("clf", LogisticRegression(C=8.0, max_iter=3000, class_weight="balanced")),
        ]
    )
    t0 = time.time()
    model.fit(x_fit, y_fit)
    fit_seconds = time.time() - t0

    def scores(texts: list[str]) -> list[float]:
        return list(model.predict_proba([classifier_text(t) for t in texts])[:, 1])

    def lex(texts: list[str]) -> list[bool]:
        return [bool(lexicon_reasons(t)) for t in texts]

    # Threshold: the highest recall on the validation toxic sentences with ≤ 2.5 % false alarms on their
    # neutral rewrites, lexicon and classifier combined (that is how moderate() decides). The 2ch/pikabu
    # labels are too noisy for this (their "neutral" comments often contain obscene words).
    val_tox = [t for t, _ in detox_val]
    val_neu = [n for _, ns in detox_val for n in ns]
    s_app_val, l_app_val = scores(appeals_val), lex(appeals_val)
    s_tox, s_neu = scores(val_tox), scores(val_neu)
    l_tox, l_neu = lex(val_tox), lex(val_neu)
    best = (0.0, 0.99)
    for k in range(200, 1000):
        thr = k / 1000
        fa = sum(lx or s >= thr for lx, s in zip(l_neu, s_neu, strict=True)) / len(val_neu)
        rec = sum(lx or s >= thr for lx, s in zip(l_tox, s_tox, strict=True)) / len(val_tox)
        domain = sum(lx or s >= thr for lx, s in zip(l_app_val, s_app_val, strict=True)) / len(appeals_val)
        if fa <= 0.025 and domain <= 0.005 and rec > best[0]:
            best = (rec, thr)
    threshold = best[1]

    def report(name: str, pos: list[str], neg: list[str]) -> list[str]:
        sp, sn, lp, ln = scores(pos), scores(neg), lex(pos), lex(neg)
        rows = []
        for label, fp, fn in (
            ("lexicon only", lp, ln),
            ("classifier only", [s >= threshold for s in sp], [s >= threshold for s in sn]),
            (
                "lexicon + classifier (shipped)",
                [a or s >= threshold for a, s in zip(lp, sp, strict=True)],
                [a or s >= threshold for a, s in zip(ln, sn, strict=True)],
            ),
        ):
            tp, fpn = sum(fp), sum(fn)
            precision = tp / (tp + fpn) if tp + fpn else 0.0
            rows.append(
                f"| {name} | {label} | {len(pos)} / {len(neg)} | {tp / len(pos):.3f} | {fpn / len(neg):.3f} "
                f"| {precision:.3f} |"
            )
        return rows

    detox_pos = [t for t, _ in detox_test]
    detox_neg = [n for _, ns in detox_test for n in ns]
    board_pos = [t for t, y in toxic_test if y == 1]
    board_neg = [t for t, y in toxic_test if y == 0]
    rows = report("detox (toxic vs. its neutral rewrites)", detox_pos, detox_neg)
    rows += report("2ch/pikabu comments", board_pos, board_neg)

    sample = appeals_test
    s_app, l_app = scores(sample), lex(sample)
    blocked_appeals = sum(a or s >= threshold for a, s in zip(l_app, s_app, strict=True))

    version = f"moderation-{time.strftime('%Y%m%d')}-lr-case"
    out = ROOT / "src" / "otklik" / "analysis" / "data" / "models" / "moderation.joblib"
    joblib.dump(
        {"model": model, "threshold": threshold, "version": version, "sklearn": sklearn.__version__},
        out,
        compress=3,
    )
    size_mb = out.stat().st_size / 1e6
    body = f"""Reproduce: `.venv/bin/python scripts/train_analysis_models.py moderation` (seed {SEED}; writes the
shipped model `src/otklik/analysis/data/models/moderation.joblib`, {size_mb:.1f} MB, version `{version}`,
scikit-learn {sklearn.__version__}).

Data: `shared/data/moderation/` — `detox_train.tsv` (toxic sentences with human neutral rewrites of the same
content) and `toxic_2ch_pikabu.csv`. Held-out split: 20 % of each file, never seen in training or threshold
choice (the threshold {threshold:.2f} was chosen on a separate 15 % validation part of the training split:
best recall with ≤ 2.5 % false alarms on the rewrites and ≤ 0.5 % of a validation sample of appeals-spb
complaints blocked; {APPEALS_FIT} further appeals are negatives in training). Features: char_wb 1–5-grams with the
letter case kept + word 1–2-grams, logistic regression. "Recall" = share of toxic texts blocked; "false alarms" = share of
neutral texts blocked; a message is blocked when the lexicon finds an obscene word, insult or threat, or the
classifier's probability ≥ threshold.

| test set | decision | toxic / neutral texts | recall | false alarms | precision |
|---|---|---|---|---|---|
{chr(10).join(rows)}

Domain check: {blocked_appeals} of 3000 other random appeals from `appeals-spb` (citizens' complaints, moderated by
the portal before publication) are blocked ({blocked_appeals / 30:.2f} %).
Target (issue 6): recall ≥ 0.92 with false alarms ≤ 0.03 on the detox rewrites.
Known limits: the 2ch/pikabu labels lump political and ethnic hostility into "toxic", which neither the lexicon
nor a complaint-oriented threshold is meant to catch; threats are not in either data set and are covered by
the lexicon and by tests only (`tests/analysis/test_moderation.py`). Classifier training took {fit_seconds:.0f} s.
"""
    replace_section("## Moderation", body)
    print(body)


# --- topics: how far the labels go -------------------------------------------------------------------


def topics_ceiling(folds: int = 5) -> None:
    """How much of the +2 points the labels leave room for: the plain baseline trained on Oct–Dec and, besides,
    on (folds − 1)/folds of the January–February appeals themselves, tested on the rest (every appeal of
    Jan–Feb tested once), next to the same baseline trained on Oct–Dec only, on the same appeals."""
    from otklik.analysis.training import _portal_rows, baseline_pipeline

    rows = _portal_rows(SHARED / "appeals-spb" / "appeals-2020-10_2021-02.jsonl.gz")
    train = [r for r in rows if r[0] < "2021-01-01"]
    test = [r for r in rows if r[0] >= "2021-01-01"]
    order = list(range(len(test)))
    random.Random(SEED).shuffle(order)

    lines = []
    for field, column in (("category", 2), ("reason", 3)):
        plain = baseline_pipeline().fit([r[1] for r in train], [r[column] for r in train])
        right_plain = right_more = 0
        for k in range(folds):
            held = set(order[k::folds])
            part = [test[i] for i in sorted(held)]
            more = train + [r for i, r in enumerate(test) if i not in held]
            model = baseline_pipeline().fit([r[1] for r in more], [r[column] for r in more])
            truth = [r[column] for r in part]
            texts = [r[1] for r in part]
            right_more += sum(p == y for p, y in zip(model.predict(texts), truth, strict=True))
            right_plain += sum(p == y for p, y in zip(plain.predict(texts), truth, strict=True))
        a, b = right_plain / len(test), right_more / len(test)
        lines.append(f"| `{field}` | {a:.4f} | {b:.4f} ({(b - a) * 100:+.2f} pt) |")
        print(lines[-1], flush=True)
    body = f"""Reproduce: `.venv/bin/python scripts/train_analysis_models.py topics-ceiling` (deterministic).

How much room the labels leave for "+2 points over the baseline" on the test months: the same plain baseline
(TF-IDF word 1–2 + char_wb 2–5, LinearSVC) trained on Oct–Dec **plus {folds - 1}/{folds} of the January–February
appeals themselves** — their texts and final labels, the winter reasons included — and tested on the remaining
fifth ({folds} folds, every one of the {len(test)} January–February appeals tested once), against the baseline
trained on Oct–Dec only, on the same appeals:

| label | baseline, Oct–Dec | baseline, Oct–Dec + 4/5 of Jan–Feb |
|---|---|---|
{chr(10).join(lines)}

Knowing most of the test months' own labels buys the baseline the gain shown; a classifier that sees only
October–December has to find +2 points elsewhere, in a text of median 47 characters.
"""
    replace_section("### Portal labels: how far the labels let a text classifier go", body)


# --- entry point --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "what", choices=["moderation", "topics", "topics-model", "topics-eval", "topics-ceiling"]
    )
    args = parser.parse_args()
    if args.what == "moderation":
        train_moderation()
    elif args.what == "topics-ceiling":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
        import django

        django.setup()
        topics_ceiling()
    elif args.what == "topics-eval":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
        import django

        django.setup()
        from otklik.analysis.training import evaluate_portal_labels

        evaluate_portal_labels(SHARED / "appeals-spb" / "appeals-2020-10_2021-02.jsonl.gz", replace_section)
    elif args.what == "topics-model":
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "otklik.settings")
        django.setup()
        from otklik.analysis.training import write_default_topic_model

        model = write_default_topic_model()
        print(
            f"{model.version}: {len(model.classes)} topics, {model.meta['examples']} examples, "
            f"{model.coef.nnz} weights, temperature {model.temperature:.3f}"
        )
    else:
        from otklik.analysis.training import build_topic_training_set

        build_topic_training_set(SHARED / "appeals-spb" / "appeals-2020-10_2021-02.jsonl.gz", replace_section)


if __name__ == "__main__":
    main()
