"""`otklik sweep_deadlines`: the sweep for cron (every minute is fine; it is idempotent)."""

from __future__ import annotations

from typing import Any

from otklik.cases.sla import sweep
from otklik.cli import given, moment
from otklik.commandline import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Проверить сроки: зафиксировать нарушения (R-12) и разослать напоминания."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", type=moment, help="момент проверки в ISO 8601 (по умолчанию — сейчас)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep(given(options.get("now")))
        self.stdout.write(
            f"Нарушений: {report.breached}, напоминаний: {report.reminders}, "
            f"истекло окон R-8.2: {report.windows_expired}."
        )
