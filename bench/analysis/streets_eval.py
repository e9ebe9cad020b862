"""Quality evaluation of street extraction (`otklik.analysis.streets`) on real appeals (not a test).

    .venv/bin/python bench/analysis/streets_eval.py [--sample 40 --seed 5]

Gold: the street of the address the author picked in the portal's form (`address`, second comma-separated
part, e.g. «Лермонтовский проспект»). Of the appeals with an address whose text names a street, the share where
one of the streets found equals the form's street (case and ё folded). That is a lower bound of precision: a
text often names another, real street («со стороны Дегтярного переулка») or misspells it. `--sample` prints
that many disagreements to read by hand.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "appeals-spb" / "appeals-2020-10_2021-02.jsonl.gz"
TYPE_WORD = re.compile(
    r"\b(ул|улиц|просп|пр-т|пр\.|переул|пер\.|шоссе|наб|бульв|б-р|площад|пл\.|проезд|аллея)", re.I
)


def folded(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower().replace("ё", "е")).strip()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from otklik.analysis.streets import find_streets

    with gzip.open(args.data, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    with_address = named = found = agree = 0
    disagreements = []
    for row in rows:
        parts = [p.strip() for p in (row.get("address") or "").split(",")]
        if not row.get("petitions") or len(parts) < 2:
            continue
        with_address += 1
        text = row["petitions"][0].get("text") or ""
        if TYPE_WORD.search(text):
            named += 1
        streets = find_streets(text)
        if not streets:
            continue
        found += 1
        if any(folded(s.street) == folded(parts[1]) for s in streets):
            agree += 1
        else:
            disagreements.append((parts[1], [s.street for s in streets], text[:160].replace("\n", " ")))
    print(
        json.dumps(
            {
                "appeals_with_address": with_address,
                "text_has_a_street_word": named,
                "streets_found": found,
                "agree_with_form_address": agree,
                "agreement": round(agree / found, 3) if found else None,
            },
            ensure_ascii=False,
        )
    )
    random.seed(args.seed)
    for gold, got, text in random.sample(disagreements, min(args.sample, len(disagreements))):
        print(f"form: {gold} | found: {'; '.join(got)} | {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
