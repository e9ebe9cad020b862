"""Bad input to the analysis command lines (issue 6): otklik moderate, analyze, classifier train|predict.

One output line per input line in order, a bad line gives an error object with its line number and id, a clear
Russian message on stderr, a non-zero exit when the run could not do its job, never a Python traceback. R-10
(moderation: an insult must not pass because of how the file was encoded)."""

from __future__ import annotations

import io
import json
import os
import selectors
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import ManagementUtility

OTKLIK = Path(sys.executable).with_name("otklik")
INSULT = "Глава района — мразь"


def run(
    argv: list[str], stdin: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[dict[str, Any]], str]:
    """`otklik ARGV` with stdin given as raw bytes, as a shell redirect gives them: (exit status, the output
    objects, stderr)."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    code = 0
    try:
        ManagementUtility(["otklik", *argv]).execute()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, [json.loads(line) for line in captured.out.splitlines() if line.strip()], captured.err


def jsonl(*objects: Any) -> bytes:
    """Objects as JSON Lines in UTF-8; a str or bytes is a raw line."""
    lines = [
        o
        if isinstance(o, bytes)
        else (o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)).encode()
        for o in objects
    ]
    return b"".join(line + b"\n" for line in lines)


def subprocess_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "OTKLIK_VAR_DIR": str(tmp_path / "var")}


def test_a_line_not_in_utf8_is_reported_not_moderated_as_garbage(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """R-10: a message in Windows-1251 used to become U+FFFD characters and pass moderation as «not
    blocked»; now the line is flagged with its id and the others are moderated."""
    cp1251 = json.dumps({"id": "w", "text": INSULT}, ensure_ascii=False).encode("cp1251")
    code, out, err = run(
        ["moderate"],
        b"\xef\xbb\xbf"
        + jsonl({"id": 1, "text": INSULT}, cp1251, {"id": 3, "text": INSULT}).replace(b"\n", b"\r\n"),
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert [o["id"] for o in out] == [1, "w", 3]
    assert out[0]["blocked"] is True and out[2]["blocked"] is True
    assert "blocked" not in out[1]
    assert out[1]["line"] == 2 and "UTF-8" in out[1]["error"]
    assert "строк с ошибками: 1 из 3" in err


def test_nan_and_huge_numbers_give_an_error_line_not_a_crash(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`"views": NaN` used to crash `otklik analyze` (the whole batch lost, traceback); `"id": NaN` was
    written back as NaN, which is not JSON."""
    code, out, _ = run(
        ["analyze"],
        jsonl(
            {"id": 1, "text": "В Гатчине третий день нет воды"},
            '{"id": 2, "text": "Нет воды", "metrics": {"views": NaN}}',
            '{"id": 3, "text": "Нет воды", "metrics": {"likes": 1e400}}',
            '{"id": Infinity, "text": "Нет воды"}',
            '{"id": 5, "text": "Нет воды", "n": ' + "1" * 5000 + "}",
            {"id": 6, "text": "Во Всеволожске нет горячей воды"},
        ),
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert [o.get("line") for o in out] == [None, 2, 3, 4, 5, None]
    assert [o["id"] for o in out] == [1, None, None, None, None, 6]
    assert "NaN" in out[1]["error"] and "1e400" in out[2]["error"] and "Infinity" in out[3]["error"]
    assert "слишком длинное число" in out[4]["error"]
    assert out[0]["topic_group"] == out[5]["topic_group"] == "ЖКХ"


def test_a_message_the_analysis_fails_on_does_not_stop_the_run(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line that made the analysis raise (here: reach counters of 4300 digits each) used to end the run
    with a traceback and lose the answers of the whole batch of 256 lines around it."""
    huge = "9" * 4300
    metrics = '{"likes": ' + huge + ', "reposts": ' + huge + "}"
    code, out, _ = run(
        ["analyze"],
        jsonl(
            {"id": 1, "text": "В Гатчине третий день нет воды"},
            '{"id": 2, "text": "Нет воды", "metrics": ' + metrics + "}",
            {"id": 3, "text": "Во Всеволожске нет горячей воды"},
        ),
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert [o["id"] for o in out] == [1, 2, 3]
    assert out[0]["topic_group"] == out[2]["topic_group"] == "ЖКХ"
    assert "error" not in out[0] and "error" not in out[2]


def test_analyze_rejects_optional_fields_of_the_wrong_kind(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """R-8.1 (importance): `"governor": "no"` used to count as the Governor's account and a counter the rules
    cannot read was silently ignored; both change the importance, so the line is flagged instead. A counter as an
    export writes it («5000», «25 000») is read as the product reads it (session 25)."""
    text = "Когда починят фонари у школы?"
    code, out, _ = run(
        ["analyze"],
        jsonl(
            {"id": "g", "text": text, "governor": "no"},
            {"id": "m", "text": text, "metrics": {"likes": "много"}},
            {"id": "l", "text": text, "metrics": [5000]},
            {"id": "mu", "text": text, "municipality": 47},
            {"id": "ok", "text": text, "governor": False, "author": 12345, "metrics": {"likes": 3}},
        ),
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert [o["id"] for o in out] == ["g", "m", "l", "mu", "ok"]
    assert "«governor» должно быть true или false, а не строкой" in out[0]["error"]
    assert "«metrics.likes» должно быть неотрицательным числом" in out[1]["error"]
    assert "«metrics» должно быть объектом, а не списком" in out[2]["error"]
    assert "«municipality»" in out[3]["error"]
    assert "error" not in out[4]
    assert "сообщение в аккаунте Губернатора" not in out[4]["importance"]["reasons"]


def test_text_of_the_wrong_kind_is_named_as_such(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A number in `text` was reported as «нет текстового поля» — the field is there, it is not a string."""
    _, out, _ = run(
        ["moderate"],
        jsonl({"id": 1, "text": 5}, {"id": None, "text": None}, {"text": "Спасибо"}, {"id": 4}),
        monkeypatch,
        capsys,
    )
    assert [o["id"] for o in out] == [1, None, None, 4]
    assert out[0]["error"] == "строка 1: поле «text» должно быть строкой, а не числом"
    assert out[1]["error"] == "строка 2: поле «text» должно быть строкой, а не null"
    assert out[2]["blocked"] is False
    assert out[3]["error"] == "строка 4: нет поля «text»"


def test_a_run_where_every_line_is_bad_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A whole file in the wrong encoding: every line gets its error object, and the exit status tells the
    script that nothing was done."""
    data = "".join(json.dumps({"id": n, "text": INSULT}, ensure_ascii=False) + "\n" for n in range(3)).encode(
        "cp1251"
    )
    code, out, err = run(["moderate"], data, monkeypatch, capsys)
    assert code == 1
    assert [o["id"] for o in out] == [0, 1, 2] and all("UTF-8" in o["error"] for o in out)
    assert "ни одна строка не обработана" in err


def test_a_half_emoji_is_kept_and_its_id_echoed_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An emoji cut in half by a network's length limit arrives as a lone surrogate escape; UTF-8 cannot
    encode it, so writing the answer used to end every command with a UnicodeEncodeError traceback."""
    code, out, _ = run(
        ["moderate"],
        jsonl(
            '{"id": "\\ud83d", "text": "Спасибо за ремонт"}',
            '{"id": 2, "text": "Глава района \\ud83d — мразь"}',
            {"id": 3, "text": INSULT},
        ),
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert [o["id"] for o in out] == ["\ud83d", 2, 3]
    assert out[1]["blocked"] is True and out[1]["reasons"][0]["text"] == "мразь"

    data = _training_file(tmp_path / "train.jsonl", jsonl('{"text": "яма \\ud83d", "kind": "дороги"}'))
    code, out, _ = run(
        ["classifier", "train", "--input", str(data), "--label", "kind", "--out", str(tmp_path / "m")],
        b"",
        monkeypatch,
        capsys,
    )
    assert code == 0 and out[-1]["examples"] == 25


def _training_file(path: Path, extra: bytes = b"") -> Path:
    rows = []
    for label, phrases in (
        ("дороги", ["яма на дороге", "разбитый асфальт", "нет разметки", "дорогу не чинят"]),
        ("вода", ["нет горячей воды", "ржавая вода", "прорвало трубу", "слабый напор воды"]),
    ):
        for n, phrase in enumerate(phrases):
            for place in ("в Гатчине", "у нас во дворе", "третий день"):
                rows.append({"id": f"{label}-{n}-{place}", "text": f"{phrase} {place}", "kind": label})
    path.write_bytes(jsonl(*rows) + extra)
    return path


def test_training_goes_on_past_a_line_not_in_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One Windows-1251 line used to stop the training with «'utf-8' codec can't decode…»."""
    bad = json.dumps({"id": "cp", "text": "мусор", "kind": "мусор"}, ensure_ascii=False).encode("cp1251")
    data = _training_file(tmp_path / "train.jsonl", bad + b"\n")
    model = tmp_path / "model"
    code, out, _ = run(
        ["classifier", "train", "--input", str(data), "--label", "kind", "--out", str(model)],
        b"",
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert (
        out[0]
        == {
            "id": "cp",
            "line": 25,
            "error": out[0]["error"],
        }
        and "UTF-8" in out[0]["error"]
    )
    assert out[-1]["examples"] == 24 and out[-1]["labels"] == 2


def test_training_refusals_are_in_russian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--out` naming a file used to end in a FileExistsError traceback; texts without a single word gave
    scikit-learn's English «empty vocabulary»."""
    data = _training_file(tmp_path / "train.jsonl")
    code, _, err = run(
        ["classifier", "train", "--input", str(data), "--label", "kind", "--out", str(data)],
        b"",
        monkeypatch,
        capsys,
    )
    assert code == 2 and "это файл, а не каталог" in err
    assert (tmp_path / "train.jsonl").read_bytes().startswith(b'{"id"')  # not touched

    symbols = tmp_path / "symbols.jsonl"
    symbols.write_bytes(jsonl({"text": "a", "k": "x"}, {"text": "b", "k": "y"}, {"text": "c", "k": "x"}))
    code, _, err = run(
        ["classifier", "train", "--input", str(symbols), "--label", "k", "--out", str(tmp_path / "m")],
        b"",
        monkeypatch,
        capsys,
    )
    assert code == 1
    assert "обучение невозможно: в текстах нет ни одного слова" in err and "vocabulary" not in err


def test_predict_with_a_damaged_model_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A model directory with a damaged file used to end in a numpy/json traceback."""
    data = _training_file(tmp_path / "train.jsonl")
    model = tmp_path / "model"
    code, _, _ = run(
        ["classifier", "train", "--input", str(data), "--label", "kind", "--out", str(model)],
        b"",
        monkeypatch,
        capsys,
    )
    assert code == 0
    line = jsonl({"id": 1, "text": "Из крана течёт ржавая вода"})
    code, out, _ = run(["classifier", "predict", "--model", str(model)], line, monkeypatch, capsys)
    assert code == 0 and out[0]["label"] == "вода"

    (model / "weights.npz").write_bytes(b"not a numpy archive")
    code, out, err = run(["classifier", "predict", "--model", str(model)], line, monkeypatch, capsys)
    assert code == 2 and out == []
    assert f"модель в каталоге {model} повреждена" in err


def test_answers_come_line_by_line_while_the_input_stays_open(tmp_path: Path) -> None:
    """A script that writes one message and waits for its verdict (a co-process) used to wait forever: the
    answers were held back until 256 lines or the end of the input."""
    proc = subprocess.Popen(
        [str(OTKLIK), "moderate"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=subprocess_env(tmp_path),
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            for n, text in enumerate([INSULT, "Спасибо за ремонт дороги"]):
                proc.stdin.write(jsonl({"id": n, "text": text}))
                proc.stdin.flush()
                # A guard against hanging forever, not a speed limit: the answer must come before EOF.
                assert sel.select(timeout=300), "no answer while the input is still open"
                answer = json.loads(proc.stdout.readline())
                assert answer["id"] == n and answer["blocked"] is (n == 0)
        proc.stdin.close()
        assert proc.wait(timeout=300) == 0
    finally:
        proc.kill()
        proc.wait()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`otklik moderate < big.jsonl | head -1` used to end in a BrokenPipeError traceback."""
    data = tmp_path / "many.jsonl"
    data.write_bytes(jsonl(*({"id": n, "text": f"Нет воды в доме {n}"} for n in range(3000))))
    with data.open("rb") as stdin:
        proc = subprocess.Popen(
            [str(OTKLIK), "moderate"],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=subprocess_env(tmp_path),
        )
        assert proc.stdout is not None and proc.stderr is not None
        first = json.loads(proc.stdout.readline())
        proc.stdout.close()  # 3000 answers do not fit in the pipe: the command must meet the closed end
        err = proc.stderr.read().decode("utf-8")
        code = proc.wait(timeout=300)
    assert first["id"] == 0
    assert code == 1
    assert "Traceback" not in err and "вывод закрыт" in err


def test_line_ends_of_every_kind(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """CRLF, a lone CR (old Mac files), no newline at the end: line numbers stay those of the file."""
    data = b'{"id": 1, "text": "x"}\r\n\r\n{"id": 3, "text": 5}\r{"id": 4, "text": "y"}'
    _, out, _ = run(["moderate"], data, monkeypatch, capsys)
    assert [(o["id"], o.get("line")) for o in out] == [(1, None), (3, 3), (4, None)]
