"""`otklik worktime …`: the engine's CLI with the database's calendar corrections and `--body ID`."""

from __future__ import annotations

import sys
from typing import Any

from otklik.commandline import BaseCommand, schema_refusals
from otklik.worktime import cli
from otklik.worktime.service import current_calendar, schedule_of


class Command(BaseCommand):
    help = "Рабочее время: year / add / between / add-days / explain / day (см. docs/worktime.md)."

    def run_from_argv(self, argv: list[str]) -> None:
        # The CLI is stable and owns its arguments; Django only supplies the data behind --body.
        with schema_refusals():
            self._run(argv[2:])

    def _run(self, args: list[str]) -> None:
        if _asks_help(args):  # the help needs no database: a fresh install shows it before `otklik migrate`
            sys.exit(cli.main(args))
        schedule = None
        value = _option(args, "--body")
        if value is not None:
            from otklik.org.models import Body

            body = Body.objects.filter(pk=int(value)).first() if value.isdigit() else None
            if body is None:
                sys.stderr.write(f"ошибка: орган с ID {value!r} не найден\n")
                sys.exit(2)
            schedule = schedule_of(body)
        sys.exit(cli.main(args, schedule=schedule, calendar=current_calendar()))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - run_from_argv is used
        raise NotImplementedError


def _option(args: list[str], name: str) -> str | None:
    """The value of ``name`` as argparse reads it: ``--body 5`` or ``--body=5`` (the last one wins); ""
    when the value is missing; None when the option is absent."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == name:
            value = args[i + 1] if i + 1 < len(args) else ""
        elif arg.startswith(name + "="):
            value = arg[len(name) + 1 :]
    return value


def _asks_help(args: list[str]) -> bool:
    """Whether argparse would print the help for ``args`` (``-h``/``--help`` before a ``--``)."""
    for arg in args:
        if arg == "--":
            return False
        if arg in ("-h", "--help"):
            return True
    return False
