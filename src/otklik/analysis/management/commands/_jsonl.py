"""Shared by the analysis commands: read stdin as raw lines, write one JSON object per line."""

from __future__ import annotations

import contextlib
import json
import os
import re
import select
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.management.base import CommandError

from otklik.analysis.cli import FLUSH, SURROGATE, Line

CHUNK = 1 << 16


def stdin_lines() -> Iterator[Line]:
    """The lines of stdin as bytes (each decoded and checked by ``parse_lines``, so a line that is not UTF-8
    is reported, not silently altered), with ``FLUSH`` whenever no more input is waiting: a process that
    feeds lines one by one and waits for each answer gets it without closing its end of the pipe."""
    if sys.stdin is None:  # started with stdin closed: no input
        return
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream put in place of stdin (tests, embedding)
        yield from sys.stdin
        return
    try:
        fd = buffer.fileno()
    except (OSError, ValueError):
        yield from buffer
        return
    pending: list[bytes] = []
    while chunk := os.read(fd, CHUNK):
        *lines, rest = chunk.split(b"\n")
        for line in lines:
            pending.append(line)
            yield b"".join(pending) + b"\n"
            pending = []
        if rest:
            pending.append(rest)
        if not _ready(fd):
            yield FLUSH
    if pending:
        yield b"".join(pending)


def _ready(fd: int) -> bool:
    try:
        return bool(select.select([fd], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def write_jsonl(out: Any, objects: Iterable[Any], err: Any = None) -> tuple[int, int]:
    """Write each object as one line; returns how many carried an error and how many there were. With
    ``err`` (the command's stderr), a run with bad lines says so there, and a run where every line was bad
    fails (exit status 1): a script learns that nothing was done. The reader going away (``| head``) ends
    the run quietly with exit status 1."""
    errors = total = 0
    reasons: set[str] = set()  # the errors' texts without their «строка N: », while they are all one
    try:
        for obj in objects:
            if obj is FLUSH:
                out.flush()
                continue
            total += 1
            if "error" in obj:
                errors += 1
                if len(reasons) < 2:
                    reasons.add(re.sub(r"^строка \d+: ", "", str(obj["error"])))
            out.write(_dumps(obj))
        out.flush()
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):  # Python's own flush at exit must not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise CommandError("вывод закрыт читающей стороной, обработка прервана", returncode=1) from None
    except KeyboardInterrupt:
        raise CommandError(f"прервано (Ctrl+C): записано строк: {total}", returncode=130) from None
    if err is not None and errors:
        if errors == total:
            # one reason for every line (a file in UTF-16, say) is said once here
            why = f"{next(iter(reasons))} (строк: {total})" if len(reasons) == 1 and total > 1 else ""
            raise CommandError(
                "ни одна строка не обработана: "
                + (why or f"ошибки во всех строках ({total}), подробности в поле error вывода"),
                returncode=1,
            )
        err.write(f"строк с ошибками: {errors} из {total} (подробности в поле error вывода)")
    return errors, total


def _dumps(obj: dict[str, Any]) -> str:
    """One output line; a lone surrogate left in a value (an ``id``) is written back as its JSON escape."""
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(obj, ensure_ascii=False))
