"""Shared by the analysis commands: read stdin as UTF-8 lines, write one JSON object per line."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any


def stdin_lines() -> Iterator[str]:
    buffer = getattr(sys.stdin, "buffer", None)
    stream = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace") if buffer is not None else sys.stdin
    yield from stream


def write_jsonl(out: Any, objects: Iterable[dict[str, Any]]) -> int:
    """Write each object as one line; returns how many carried an error."""
    errors = 0
    for obj in objects:
        errors += "error" in obj
        out.write(json.dumps(obj, ensure_ascii=False))
    out.flush()
    return errors
