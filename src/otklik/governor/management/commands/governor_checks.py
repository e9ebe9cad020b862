"""`otklik governor_checks`: the R-7.4 check runner for cron (every few minutes; idempotent)."""

from __future__ import annotations

from typing import Any

from otklik.cli import given, moment
from otklik.commandline import BaseCommand, CommandParser
from otklik.governor.service import process_comments, run_checks


class Command(BaseCommand):
    help = (
        "Посты Губернатора (R-7.4): открыть наблюдение за новыми постами, выполнить наступившие проверки "
        "новых комментариев и разобрать комментарии."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", type=moment, help="момент в ISO 8601 (по умолчанию — сейчас)")
        parser.add_argument("--no-fetch", action="store_true", help="не обращаться к сетям, только разобрать")

    def handle(self, *args: Any, **options: Any) -> None:
        now = given(options.get("now"))
        report = run_checks(now, fetch=not options["no_fetch"])
        # Comments that arrived between checks (webhooks, ingestion) are triaged at once, too.
        triaged = process_comments(now)
        self.stdout.write(
            f"Проверок выполнено: {report.done}, пропущено: {report.missed}, "
            f"новых комментариев: {report.new_comments + triaged}, ошибок получения: {report.errors}"
            + (f", прекращено (пост удалён в сети): {report.stopped}." if report.stopped else ".")
        )
