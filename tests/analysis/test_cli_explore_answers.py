"""`otklik check-answer --jsonl` (issue 7 contract, src/otklik/answers/cli.py): every output line is JSON, and
a line Python's json module reads but strict JSON does not allow is an error object, not a crash."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import ManagementUtility


def test_nan_ids_and_huge_numbers_are_error_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """`"id": NaN` was echoed as NaN (the output line was not JSON); an integer of 5000 digits ended the
    run with a ValueError traceback and the lines after it were lost."""
    lines = [
        '{"id": NaN, "text": "Здравствуйте!"}',
        '{"id": 2, "text": "Здравствуйте!", "n": ' + "1" * 5000 + "}",
        '{"id": 1e400, "text": "Здравствуйте!"}',
        json.dumps({"id": 4, "text": "Здравствуйте, Анна! Яму заделают до 1 июня."}, ensure_ascii=False),
    ]
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    monkeypatch.setattr(sys, "stdout", out)
    ManagementUtility(["otklik", "check-answer", "--jsonl"]).execute()
    rows = [
        json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in the output"))
        for line in out.getvalue().splitlines()
    ]
    assert [r.get("line") for r in rows] == [1, 2, 3, None]
    assert "NaN" in rows[0]["error"] and "слишком длинное число" in rows[1]["error"]
    assert "1e400" in rows[2]["error"]
    assert rows[3]["id"] == 4 and "score" in rows[3]


def test_a_half_emoji_does_not_stop_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """An emoji cut in half by a length limit arrives as a lone surrogate escape; UTF-8 cannot encode it, so
    writing the result used to end the run with a UnicodeEncodeError traceback."""
    lines = [
        '{"id": 1, "text": "Здравствуйте, Анна! Яму заделают до 1 июня \\ud83d", "author_name": "Анна\\udc00"}',
        '{"id": "\\ud83d", "text": "Здравствуйте!"}',
        '{"id": 3, "text": "Здравствуйте!"}',
    ]
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    monkeypatch.setattr(sys, "stdout", out)
    ManagementUtility(["otklik", "check-answer", "--jsonl"]).execute()
    out.getvalue().encode("utf-8")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    # the id is echoed exactly, as its JSON escape (as `otklik analyze` does): the caller finds its line
    assert [r["id"] for r in rows] == [1, "\ud83d", 3]
    assert '"id": "\\ud83d"' in out.getvalue().splitlines()[1]
    assert all("score" in r for r in rows)
