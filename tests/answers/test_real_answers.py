"""The checker on real answers (issue 7): official portal answers against good social-network answers, and the
precision of each finding code on 100 hand-labelled answers (tests/answers/data/SOURCE.md)."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from otklik.answers.checker import check_answer
from otklik.answers.findings import CODES

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run(item: dict[str, Any]) -> Any:
    return check_answer(
        item["text"],
        network=item.get("network", "vk"),
        author_name=item.get("author_name"),
        repeat=item.get("repeat", False),
    )


@pytest.fixture(scope="module")
def official_scores() -> list[int]:
    return [run(item).score for item in load("official_sample.jsonl")]


@pytest.fixture(scope="module")
def good_scores() -> list[int]:
    return [run(item).score for item in load("good_social.jsonl")]


def test_data_sets_have_their_documented_sizes() -> None:
    assert len(load("official_sample.jsonl")) == 200
    assert len(load("good_social.jsonl")) == 50
    labelled = load("labelled.jsonl")
    assert len(labelled) == 100
    assert len({x["id"] for x in labelled}) == 100
    assert all(set(x["labels"]) <= set(CODES) for x in labelled)


def test_the_checker_separates_official_answers_from_good_social_answers(
    official_scores: list[int], good_scores: list[int]
) -> None:
    assert statistics.median(good_scores) >= 95
    assert statistics.median(official_scores) <= 75
    # Rank separation (ROC AUC): the chance that a good answer scores above an official one, ties half.
    pairs = [(g > o) + 0.5 * (g == o) for g in good_scores for o in official_scores]
    assert sum(pairs) / len(pairs) >= 0.95


def test_official_answers_show_the_problems_the_regulation_names() -> None:
    seen: Counter[str] = Counter()
    for item in load("official_sample.jsonl"):
        seen.update(run(item).codes())
    n = 200
    assert seen["template"] >= 0.8 * n  # «Уважаемый пользователь!», «Рассмотрев Ваше сообщение …»
    assert seen["bureaucratese"] >= 0.6 * n


def test_good_social_answers_have_no_template_bureaucratese_or_missing_greeting() -> None:
    for item in load("good_social.jsonl"):
        found = run(item).codes()
        assert not found & {"template", "bureaucratese", "no_greeting", "no_substance"}, (item["id"], found)


def precision_by_code() -> dict[str, tuple[int, int]]:
    """code → (true positives, flagged answers) on the labelled set, answer by answer."""
    tp: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    for item in load("labelled.jsonl"):
        got = run(item).codes()
        labels = set(item["labels"])
        for code in got:
            flagged[code] += 1
            tp[code] += code in labels
    return {code: (tp[code], flagged[code]) for code in CODES}


@pytest.mark.parametrize("code", ["bureaucratese", "template", "no_greeting"])
def test_precision_on_hand_labelled_answers_is_at_least_0_9(code: str) -> None:
    tp, flagged = precision_by_code()[code]
    assert flagged >= 10, f"too few {code} findings to measure precision"
    assert tp / flagged >= 0.9, f"{code}: precision {tp}/{flagged}"


def test_the_labelled_set_holds_clean_answers_the_checker_leaves_alone() -> None:
    clean = [x for x in load("labelled.jsonl") if not x["labels"]]
    assert len(clean) >= 10
    flagged = [x["id"] for x in clean if run(x).findings]
    assert len(flagged) <= 0.1 * len(clean), flagged
