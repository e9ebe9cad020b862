"""`otklik ingest`: read sources from their cursors (all active ones, or those named)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from otklik.intake.models import Source
from otklik.intake.outbox import send_due
from otklik.intake.pipeline import run_source


class Command(BaseCommand):
    help = "Прочитать источники (сообщества, каналы, поиск, ленты) с места, где остановились."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--source", type=int, action="append", help="id источника (можно несколько)")
        parser.add_argument(
            "--max-pages", type=int, default=None, help="не больше стольких страниц за проход"
        )
        parser.add_argument("--loop", type=float, default=0, help="повторять каждые N секунд (для демо)")
        parser.add_argument("--send-outbox", action="store_true", help="также отправить созревшие ответы")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sources = Source.objects.filter(is_active=True).exclude(kind__in=["import", "manual"])
            if options["source"]:
                sources = sources.filter(pk__in=options["source"])
            for source in sources:
                report = run_source(source, max_pages=options["max_pages"])
                line = (
                    f"{source}: новых {report.created}, обновлено {report.updated}, "
                    f"в карантине {report.quarantined}"
                )
                self.stdout.write(line + (f"; ошибка: {report.error}" if report.error else ""))
            if options["send_outbox"]:
                send_due()
            if not options["loop"]:
                return
            time.sleep(options["loop"])
