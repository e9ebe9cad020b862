"""Found by a review (session 25), fixed since. `otklik analyze`: a line refused for its `municipality` is still taken as an earlier message of the input and
named as a repeat candidate of later lines (issue 6 contract; R-8.10).

An analyst's file has a line whose `municipality` is misspelt («Тосненскийй район»): the run answers it with an
error object (it was not analysed) — and then names that very line as the repeat of the next message with the
same text, «{"id": "a", "similarity": 1.0}». A script that follows the repeat to line «a» finds an error, not an
analysed message; a line refused for another reason (a `text` that is not a string, a wrong `metrics`) is never
named so. The error object itself also carries a `repeats` key the contract's `{"id", "line", "error"}` does not
have.

Cause: `otklik.analysis.cli.Analyzer.analyze_batch` appends the municipality error object to `out` and then, in
its repeat loop over `zip(items, out)`, queries and `self.repeats.add`s every item, the refused one included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

OTKLIK = Path(sys.executable).with_name("otklik")
ROOT = Path(__file__).resolve().parents[2]
TEXT = "Во дворе дома 5 на улице Ленина в Тосно не вывозят мусор уже неделю"


def test_a_line_refused_for_its_municipality_is_no_repeat_candidate(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": TEXT, "municipality": "Тосненскийй район"},  # a typo: refused
        {"id": "b", "text": TEXT},
    ]
    stdin = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    env = {**os.environ, "OTKLIK_VAR_DIR": str(tmp_path / "var")}
    done = subprocess.run(
        [str(OTKLIK), "analyze"],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        check=False,
    )
    first, second = (json.loads(line) for line in done.stdout.decode().splitlines())
    assert first["id"] == "a" and "municipality" in first["error"]  # refused, as the contract says
    assert second["id"] == "b" and "error" not in second
    assert [r["id"] for r in second["repeats"]] == [], second["repeats"]
    assert set(first) == {"id", "line", "error"}, first
