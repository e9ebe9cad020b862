"""What the `otklik` management commands share."""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.management import CommandError
from django.utils import timezone


def moment(value: str) -> datetime:
    """`--now` of the commands: an ISO 8601 moment; without an offset it is the installation's time (Moscow)."""
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ожидается дата и время ISO 8601, например 2026-11-29T07:40+03:00, а не «{value}»"
        ) from None
    try:
        at = at if timezone.is_aware(at) else timezone.make_aware(at)
        at.astimezone(UTC)  # the first and the last days of the calendar have no UTC moment in some zones
    except OverflowError:
        raise argparse.ArgumentTypeError(f"момент «{value}» вне допустимого диапазона дат") from None
    return at


def seconds(value: str) -> float:
    """An interval of a long-running command (`clock --tick`): a number of seconds above zero (a negative one
    or «nan» stopped the process at its first pause; zero kept a processor busy)."""
    number = _number(value)
    if not 0 < number < math.inf:
        raise argparse.ArgumentTypeError(f"ожидается число секунд больше нуля, например 5, а не «{value}»")
    return number


def seconds_or_zero(value: str) -> float:
    """`ingest --loop`: seconds between passes, or 0 for one pass."""
    number = _number(value)
    if not 0 <= number < math.inf:
        raise argparse.ArgumentTypeError(
            f"ожидается число секунд (0 — один проход), например 60, а не «{value}»"
        )
    return number


def whole_number(what: str, example: int, *, zero: str = "") -> Callable[[str], int]:
    """An argument type for a count or an id: a whole number in ASCII digits above zero, or zero and above when
    `zero` says what zero means. Refused in Russian, naming `what` is expected (argparse's own «invalid int
    value» is English), so is «-1» that a loop took for «stop at once» and «٣» that `int()` takes for 3."""
    expected = f"{what} ({zero})" if zero else f"{what} больше нуля"

    def parse(value: str) -> int:
        text = value.strip()
        number = int(text) if re.fullmatch(r"\+?[0-9]+", text) else -1
        if number < (0 if zero else 1):
            raise argparse.ArgumentTypeError(f"ожидается {expected}, например {example}, а не «{value}»")
        return number

    return parse


# `--source` of `otklik ingest` and `otklik webhook`: a source's id.
source_id = whole_number("id источника — целое число", 12)


def _number(value: str) -> float:
    try:
        return float(value.strip().replace(",", "."))
    except ValueError:
        return math.nan


def given(value: datetime | str | None) -> datetime | None:
    """The `--now` option as a command receives it: parsed from the command line, or a string passed by
    `call_command(..., now="…")`, which argparse does not convert."""
    if isinstance(value, str):
        try:
            return moment(value)
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--now: {exc}") from None
    return value
