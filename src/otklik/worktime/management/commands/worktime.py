"""`otklik worktime …`: the engine's CLI with the database's calendar corrections and `--body ID`."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from otklik.worktime import cli
from otklik.worktime.service import current_calendar, schedule_of


class Command(BaseCommand):
    help = "Рабочее время: year / add / between / add-days / explain / day (см. docs/worktime.md)."

    def run_from_argv(self, argv: list[str]) -> None:
        # The CLI is stable and owns its arguments; Django only supplies the data behind --body.
        args = argv[2:]
        schedule = None
        if "--body" in args:
            from otklik.org.models import Body

            i = args.index("--body")
            value = args[i + 1] if i + 1 < len(args) else ""
            body = Body.objects.filter(pk=int(value)).first() if value.isdigit() else None
            if body is None:
                sys.stderr.write(f"ошибка: орган с ID {value!r} не найден\n")
                sys.exit(2)
            schedule = schedule_of(body)
        sys.exit(cli.main(args, schedule=schedule, calendar=current_calendar()))

    def handle(self, *args: Any, **options: Any) -> None:  # pragma: no cover - run_from_argv is used
        raise NotImplementedError
