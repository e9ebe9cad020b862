"""`otklik sweep_deadlines`: the sweep for cron (every minute is fine; it is idempotent)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from otklik.cases.sla import sweep


class Command(BaseCommand):
    help = "Проверить сроки: зафиксировать нарушения (R-12) и разослать напоминания."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", help="момент проверки в ISO 8601 (по умолчанию — сейчас)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = datetime.fromisoformat(options["now"]) if options.get("now") else None
        report = sweep(now)
        self.stdout.write(
            f"Нарушений: {report.breached}, напоминаний: {report.reminders}, "
            f"истекло окон R-8.2: {report.windows_expired}."
        )
