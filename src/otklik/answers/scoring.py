"""The 0–100 score of an answer from its findings (R-11, R-13): the one place where the weights live.

Each code costs ``per`` points per finding, at most ``cap`` points in total, so ten bureaucratisms do not
weigh more than an insult. Score = max(0, 100 − Σ min(cap, per × count)). docs/quality.md shows this table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .findings import Finding

# code: (points per finding, cap for the code)
WEIGHTS: dict[str, tuple[int, int]] = {
    "profanity": (50, 100),
    "impolite": (20, 40),
    "no_substance": (25, 25),
    "missing_measures": (20, 20),
    "no_greeting": (15, 15),
    "redirection": (15, 30),
    "offtopic_question": (10, 20),
    "template": (8, 24),
    "too_long": (10, 10),
    "no_name": (5, 5),
    "bureaucratese": (4, 20),
    "format": (5, 15),
}


def score(findings: Iterable[Finding]) -> int:
    counts = Counter(f.code for f in findings)
    penalty = 0
    for code, n in counts.items():
        per, cap = WEIGHTS[code]
        penalty += min(cap, per * n)
    return max(0, 100 - penalty)
