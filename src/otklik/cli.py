"""What the `otklik` management commands share."""

from __future__ import annotations

import argparse
from datetime import datetime

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
    return at if timezone.is_aware(at) else timezone.make_aware(at)


def given(value: datetime | str | None) -> datetime | None:
    """The `--now` option as a command receives it: parsed from the command line, or a string passed by
    `call_command(..., now="…")`, which argparse does not convert."""
    if isinstance(value, str):
        try:
            return moment(value)
        except argparse.ArgumentTypeError as exc:
            raise CommandError(f"--now: {exc}") from None
    return value
