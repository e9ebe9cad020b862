#!/usr/bin/env python3
"""Mine frequent lemma n-grams from the official answers in appeals-spb, as candidates for the checker's
stock-phrase (template) and bureaucratese lexicons (issue 7). The candidates are curated by hand into
src/otklik/answers/lexicons/*.txt; this script only shows what the real answers repeat.

Run:  .venv/bin/python scripts/mine_answer_phrases.py [--data PATH] [--limit 20000] [--top 400] [--out FILE]

Output: TSV "document frequency (answers containing the n-gram) <TAB> share <TAB> lemma n-gram <TAB> example".

Other modes:
  --lexicon-counts   for every entry of template.txt, bureaucratese.txt and redirection.txt: in how many of the
                     official answers it matches (the figures in lexicons/SOURCE.md);
  --profanity        every distinct word of all answers and petitions that the profanity patterns flag, to
                     review by eye for false alarms (petitions may hold real obscenity; answers should not).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from otklik.answers.text import parse  # noqa: E402

DATA = Path("/work/shared/data/appeals-spb/appeals-2020-10_2021-02.jsonl.gz")


def official_answers(path: Path, limit: int) -> list[str]:
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            for answer in json.loads(line).get("answers") or []:
                text = (answer.get("text") or "").strip()
                if text:
                    out.append(text)
            if len(out) >= limit:
                break
    return out[:limit]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--limit", type=int, default=20_000)
    ap.add_argument("--top", type=int, default=400)
    ap.add_argument("--min-n", type=int, default=2)
    ap.add_argument("--max-n", type=int, default=5)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--lexicon-counts", action="store_true")
    ap.add_argument("--profanity", action="store_true")
    args = ap.parse_args(argv)

    answers = official_answers(args.data, args.limit)
    if args.lexicon_counts:
        return lexicon_counts(answers)
    if args.profanity:
        return profanity_review(args.data)
    df: Counter[tuple[str, ...]] = Counter()
    example: dict[tuple[str, ...], str] = {}
    for text in answers:
        doc = parse(text)
        seen: set[tuple[str, ...]] = set()
        for si in range(len(doc.sentences)):
            words = doc.sentence_words(si)
            lemmas = [w.lemma for w in words]
            for n in range(args.min_n, args.max_n + 1):
                for i in range(len(lemmas) - n + 1):
                    gram = tuple(lemmas[i : i + n])
                    if any(ch.isdigit() for g in gram for ch in g):
                        continue
                    if gram not in seen:
                        seen.add(gram)
                        if gram not in example:
                            example[gram] = text[words[i].start : words[i + n - 1].end]
        df.update(seen)

    # Drop an n-gram whose longer extension is (almost) as frequent: the longer one is the phrase.
    top = [g for g, c in df.most_common(args.top * 6) if c >= 20]
    keep: list[tuple[str, ...]] = []
    for g in top:
        longer = [h for h in top if len(h) == len(g) + 1 and (h[:-1] == g or h[1:] == g)]
        if any(df[h] >= 0.8 * df[g] for h in longer):
            continue
        keep.append(g)
    rows = [f"{df[g]}\t{df[g] / len(answers):.3f}\t{' '.join(g)}\t{example[g]}" for g in keep[: args.top]]
    text = f"# {len(answers)} official answers from {args.data.name}\n" + "\n".join(rows) + "\n"
    if args.out:
        args.out.write_text(text, "utf-8")
    else:
        sys.stdout.write(text)
    return 0


def lexicon_counts(answers: list[str]) -> int:
    from otklik.answers.lexicons import lexicon

    names = ("template.txt", "bureaucratese.txt", "redirection.txt")
    counts: Counter[tuple[str, str]] = Counter()
    for text in answers:
        words = parse(text).words
        for name in names:
            for phrase in {m.entry.phrase for m in lexicon(name).find(words)}:
                counts[(name, phrase)] += 1
    sys.stdout.write(f"# {len(answers)} official answers\n")
    for name in names:
        for entry in lexicon(name).entries:
            n = counts[(name, entry.phrase)]
            sys.stdout.write(f"{name}\t{entry.source}\t{n}\t{n / len(answers):.3f}\t{entry.phrase}\n")
    return 0


def profanity_review(path: Path) -> int:
    import re

    from otklik.answers.rules import is_profane

    vocab: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            texts = [p.get("text") or "" for p in item.get("petitions") or []]
            texts += [a.get("text") or "" for a in item.get("answers") or []]
            for text in texts:
                vocab.update(w.lower() for w in re.findall(r"[А-Яа-яЁё]+", text))
    flagged = sorted((w for w in vocab if is_profane(w)), key=lambda w: -vocab[w])
    sys.stdout.write(f"# {len(vocab)} distinct words, {len(flagged)} flagged\n")
    for w in flagged:
        sys.stdout.write(f"{vocab[w]}\t{w}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
