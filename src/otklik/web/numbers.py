"""Numbers of records as people type them into forms."""

from __future__ import annotations

MAX_ID = 2**63 - 1  # the largest primary key any of our databases can hold


def record_number(text: str) -> int | None:
    """A message's or a case's number typed by a person: «125» or «№ 125», in ASCII digits («²».isdigit() is
    true, but int() refuses it). ValueError when it is not a number at all; None when no row can have it (zero,
    beyond the largest key)."""
    text = text.strip().removeprefix("№").strip()
    if not (text.isascii() and text.isdecimal()):
        raise ValueError(f"not a record number: {text!r}")
    number = int(text)
    return number if 0 < number <= MAX_ID else None
