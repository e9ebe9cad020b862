"""Damaged models and odd input to the analysis command lines (issue 6: `otklik analyze`, `otklik moderate`,
`otklik classifier train`), run as the operator runs them: the real `otklik` script in a process of its own.

What an operator now sees: one output per input line and a clear Russian message with the line number, never a
Python traceback nor the parser's or the system's English — `otklik analyze` with a damaged newest topic model
analyses with the one before it (or the shipped one) and says so on stderr in Russian (R-8.1, R-10).

Found by a review (session 20)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from otklik.analysis.topics import default_model_dir

OTKLIK = Path(sys.executable).with_name("otklik")
ROOT = Path(__file__).resolve().parents[2]
# Words of three Latin letters and more in a message meant for a Russian-speaking operator (the names of the
# formats aside)
ENGLISH = re.compile(r"\b(?!JSON\b|UTF\b)[A-Za-z]{3,}")


def otklik(tmp_path: Path, *argv: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "OTKLIK_VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [str(OTKLIK), *argv], input=stdin, env=env, cwd=ROOT, capture_output=True, timeout=300, check=False
    )


def test_analyze_with_a_damaged_newest_topic_model_answers_in_russian_not_with_a_traceback(
    tmp_path: Path,
) -> None:
    """The weekly training was killed (or the disk filled up) while writing weights.npz in var/models. Then
    `otklik analyze` died with `zipfile.BadZipFile: File is not a zip file` and 40 lines of traceback; it should
    analyse with the previous model (or the shipped one), or say in Russian which model file is damaged."""
    damaged = tmp_path / "var" / "models" / "topics-installation-20991231030000"
    shutil.copytree(default_model_dir(), damaged)
    data = (damaged / "weights.npz").read_bytes()
    (damaged / "weights.npz").write_bytes(data[: len(data) // 3])
    done = otklik(tmp_path, "analyze", stdin='{"id": 1, "text": "В Гатчине нет воды"}\n'.encode())
    err = done.stderr.decode()
    assert "Traceback" not in err, err[-600:]
    # analysed with the shipped model, and the operator told so in Russian
    assert done.returncode == 0, err[-600:]
    [answer] = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert answer["id"] == 1 and answer["topic"] and answer["versions"]["topics"] == "topics-default-4"
    assert f"модель тем {damaged} повреждена и не используется" in err


def _error_of(tmp_path: Path, raw: bytes) -> list[dict[str, object]]:
    done = otklik(tmp_path, "moderate", stdin=raw)
    return [json.loads(line) for line in done.stdout.decode().splitlines() if line.strip()]


def test_a_line_that_is_not_json_is_explained_in_russian(tmp_path: Path) -> None:
    """«строка 2: не JSON (Expecting ',' delimiter)», «… (Unterminated string starting at)», «(Extra data)»: the
    reason is the parser's English."""
    raw = b'{"id": 1, "text": "\xd0\xbd\xd0\xb5\xd1\x82 \xd0\xb2\xd0\xbe\xd0\xb4\xd1\x8b"}\n{"id": 2\n{"id": 3, "text": "a\n{"id": 4} x\n'
    out = _error_of(tmp_path, raw)
    assert [o.get("line") for o in out[1:]] == [2, 3, 4]
    for o in out[1:]:
        assert not ENGLISH.search(str(o["error"])), o["error"]
    assert out[1]["error"] == "строка 2: не JSON — ожидается запятая или закрывающая скобка (в конце строки)"
    assert out[2]["error"] == "строка 3: не JSON — не закрыта кавычка текста, начатого здесь (столбец 19)"
    assert out[3]["error"] == "строка 4: не JSON — лишние символы после объекта (столбец 11)"


def test_a_file_saved_as_utf16_gets_one_answer_per_line_saying_it_is_not_utf8(tmp_path: Path) -> None:
    """Windows Notepad «Юникод» and PowerShell's `>` save UTF-16. Two messages gave five error objects (lines 1–5)
    and four of them said «не JSON (Expecting value)» instead of «не в кодировке UTF-8». One answer per line keeps
    the contract (one output per input line, `id` echoed) that scripts pairing input and output lines rely on."""
    text = '{"id": 1, "text": "Привет"}\r\n{"id": 2, "text": "Во дворе мусор"}\r\n'
    for codec in ("utf-16", "utf-16-le"):  # with the byte order mark (Notepad, PowerShell) and without
        out = _error_of(tmp_path, text.encode(codec))
        assert len(out) == 2, out
        assert all("UTF-8" in str(o["error"]) for o in out), out
        # the ids are echoed as for any bad line
        assert [(o["id"], o["line"]) for o in out] == [(1, 1), (2, 2)]
        assert out[0]["error"] == "строка 1: файл в кодировке UTF-16, а не UTF-8: сохраните его в UTF-8"
    # the run fails (nothing was done) and says why once
    done = otklik(tmp_path, "moderate", stdin=text.encode("utf-16"))
    assert done.returncode == 1
    last = done.stderr.decode().strip().splitlines()[-1]
    assert last.endswith(
        "не обработана: файл в кодировке UTF-16, а не UTF-8: сохраните его в UTF-8 (строк: 2)"
    )


def test_train_into_a_place_that_cannot_hold_a_model_says_why_in_russian(tmp_path: Path) -> None:
    """`--out` under a file: «не удалось … записать модель в x/m: Not a directory» — the system's English."""
    data = tmp_path / "train.jsonl"
    lines = [{"text": t, "cat": c} for t, c in (("нет воды", "A"), ("яма на дороге", "B"))] * 3
    data.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), "utf-8")
    done = otklik(
        tmp_path, "classifier", "train", "--input", str(data), "--label", "cat", "--out", f"{data}/m"
    )
    err = done.stderr.decode()
    assert done.returncode != 0
    message = err.strip().splitlines()[-1].split(":", 1)[1]  # after Django's «CommandError:»
    assert not ENGLISH.search(message.replace(str(data), "")), err
    assert message == f" не удалось записать модель в {data}/m: путь проходит через файл, а не через каталог"


def test_the_system_s_refusals_are_named_in_russian_with_the_path(tmp_path: Path) -> None:
    """The helper both `otklik classifier train` and `otklik report` use (`commandline.os_error_text`): the common
    errno values in Russian, the path named unless the message names it already."""
    import errno as codes

    from otklik.commandline import os_error_text

    afile = tmp_path / "a.txt"
    afile.write_text("x")
    try:
        (afile / "b").open("w")
    except OSError as exc:
        refused = exc
    assert os_error_text(refused) == f"{afile}/b: путь проходит через файл, а не через каталог"
    assert os_error_text(refused, afile / "b") == "путь проходит через файл, а не через каталог"
    for code, words in (
        (codes.ENOENT, "нет такого файла или каталога"),
        (codes.EACCES, "нет прав доступа"),
        (codes.EPERM, "нет прав на эту операцию"),
        (codes.ENOSPC, "на диске нет места"),
        (codes.EROFS, "файловая система доступна только для чтения"),
        (codes.EISDIR, "это каталог, а не файл"),
        (codes.EEXIST, "уже существует"),
    ):
        assert os_error_text(OSError(code, "English words", "/x")) == f"/x: {words}"
    assert not ENGLISH.search(os_error_text(OSError(codes.EIO, "Input/output error")))
