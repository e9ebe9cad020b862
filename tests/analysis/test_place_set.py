"""Place on a set of citizen messages naming Leningrad Oblast settlements in different cases and spellings
(``data/place_sentences.jsonl``, written for this project): the municipal formation must be right for at
least 95 % of them, and the settlement too where one is named."""

from __future__ import annotations

import json
from pathlib import Path

from otklik.analysis.place import extract_place

DATA = Path(__file__).parent / "data" / "place_sentences.jsonl"


def test_place_set_accuracy(directory: None) -> None:
    cases = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 200
    wrong = []
    for case in cases:
        place = extract_place(case["text"])
        if (place.municipality, place.settlement) != (case["municipality"], case["settlement"]):
            wrong.append((case["text"], place.municipality, place.settlement))
    accuracy = 1 - len(wrong) / len(cases)
    print(f"\nplace: {len(cases) - len(wrong)} of {len(cases)} right ({accuracy:.3f}); wrong: {wrong}")
    assert accuracy >= 0.95, (accuracy, wrong)
