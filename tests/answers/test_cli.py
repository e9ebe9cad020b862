"""`otklik check-answer`: the stable CLI (issue 7), driven through Django's ManagementUtility with stdin
replaced, and once as a real subprocess of the console script."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import ManagementUtility

from otklik.answers.checker import check_answer

OTKLIK = Path(sys.executable).with_name("otklik")


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        ManagementUtility(["otklik", "check-answer", *args]).execute()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_one_answer_from_stdin_gives_one_json_object(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Настоящим сообщаем, что данный вопрос решён 3 мая."
    code, out, _ = run_cli(monkeypatch, capsys, text, "--network", "vk", "--author-name", "Анна")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    assert set(obj) == {"score", "findings"}
    assert obj == check_answer(text, network="vk", author_name="Анна").as_dict()
    for f in obj["findings"]:
        assert set(f) == {"code", "start", "end", "text", "message", "suggestion"}
        assert text[f["start"] : f["end"]] == f["text"]
    assert {"no_greeting", "no_name", "template", "bureaucratese"} <= {f["code"] for f in obj["findings"]}


def test_repeat_flag_reaches_the_checker(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Здравствуйте! Спасибо, что написали ещё раз."
    _, out, _ = run_cli(monkeypatch, capsys, text, "--repeat")
    assert "missing_measures" in {f["code"] for f in json.loads(out)["findings"]}
    _, out, _ = run_cli(monkeypatch, capsys, text)
    assert "missing_measures" not in {f["code"] for f in json.loads(out)["findings"]}


def test_jsonl_answers_each_line_and_reports_bad_lines_in_russian(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "a1", "text": "Здравствуйте! **Важно:** воду дадут 3 мая.", "network": "telegram"},
        "это не json",
        {"id": 7, "network": "vk"},
        {"id": "a4", "text": "Здравствуйте!", "network": "myspace"},
        [1, 2],
        {"id": "a6", "text": "Здравствуйте! Спасибо.", "network": "ok", "repeat": "да"},
        "",
        {"id": "a8", "text": "Яму заделали 3 мая.", "author_name": "Анна", "repeat": True},
    ]
    stdin = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    code, out, _ = run_cli(monkeypatch, capsys, stdin, "--jsonl")
    assert code == 0
    objs: list[dict[str, Any]] = [json.loads(x) for x in out.splitlines()]
    assert len(objs) == 7  # the blank line is skipped
    assert objs[0]["id"] == "a1" and "format" in {f["code"] for f in objs[0]["findings"]}
    assert objs[1] == {"id": None, "line": 2, "error": objs[1]["error"]} and "не JSON" in objs[1]["error"]
    assert objs[2]["id"] == 7 and "text" in objs[2]["error"]
    assert objs[3]["id"] == "a4" and "неизвестная сеть" in objs[3]["error"]
    assert "объект" in objs[4]["error"]
    assert objs[5]["id"] == "a6" and "repeat" in objs[5]["error"]
    last = objs[6]
    assert last["id"] == "a8" and set(last) == {"id", "score", "findings"}
    assert {"no_greeting", "no_name"} <= {f["code"] for f in last["findings"]}
    assert last == {"id": "a8", **check_answer("Яму заделали 3 мая.", "vk", "Анна", True).as_dict()}


def test_unknown_network_argument_is_an_error_in_russian(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(monkeypatch, capsys, "Здравствуйте!", "--network", "myspace")
    assert code == 2
    assert out == ""
    assert "неизвестная сеть" in err


def test_the_console_script_reads_utf8_stdin_and_writes_utf8_json() -> None:
    text = "Здравствуйте, Анна! Яму у дома 12 заделали 14 мая 👍"
    proc = subprocess.run(
        [str(OTKLIK), "check-answer", "--network", "ok", "--author-name", "Анна"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    obj = json.loads(proc.stdout.decode("utf-8"))
    assert obj == {"score": 100, "findings": []}


def _console(args: list[str], data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(OTKLIK), "check-answer", *args], input=data, capture_output=True, timeout=120, check=False
    )


def test_jsonl_a_line_not_in_utf8_is_an_error_line_and_a_line_separator_in_a_string_is_no_break() -> None:
    """A cp1251 line is reported, not checked as «????»; U+2028 inside a JSON string stays in its line."""
    lines = [
        json.dumps({"id": 1, "text": "Здравствуйте!\u2028Яму заделали."}, ensure_ascii=False).encode("utf-8"),
        json.dumps({"id": 2, "text": "Здравствуйте, яму заделали."}, ensure_ascii=False).encode("cp1251"),
    ]
    proc = _console(["--jsonl"], b"\n".join(lines) + b"\n")
    assert proc.returncode == 0, proc.stderr.decode()
    first, second = (json.loads(x) for x in proc.stdout.decode("utf-8").splitlines())
    assert first["id"] == 1 and "score" in first
    assert second["line"] == 2 and "не в кодировке UTF-8" in second["error"]


def test_an_answer_not_in_utf8_is_refused_in_russian() -> None:
    proc = _console([], "Здравствуйте, яму заделали.".encode("cp1251"))
    assert proc.returncode == 2 and proc.stdout == b""
    assert "не в кодировке UTF-8" in proc.stderr.decode("utf-8")


def test_a_reader_that_goes_away_ends_the_run_without_a_traceback(tmp_path: Path) -> None:
    """`otklik check-answer --jsonl < many.jsonl | head -1`: a Russian line and exit 1, no BrokenPipe traceback."""
    data = tmp_path / "many.jsonl"
    data.write_bytes(b"\n".join(json.dumps({"id": n, "text": "Здравствуйте!"}).encode() for n in range(3000)))
    with data.open("rb") as stdin:
        proc = subprocess.Popen(
            [str(OTKLIK), "check-answer", "--jsonl"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        first = json.loads(proc.stdout.readline())
        proc.stdout.close()  # 3000 results do not fit in the pipe: the command meets the closed end
        err = proc.stderr.read().decode("utf-8")
        code = proc.wait(timeout=300)
    assert first["id"] == 0
    assert code == 1
    assert "Traceback" not in err and "вывод закрыт" in err
