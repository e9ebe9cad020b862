"""`otklik ingest`: read sources from their cursors (all active ones, or those named).

With ``--loop`` it is a long-running process (``make run`` starts one): a pass that fails (the database gone for a
moment, an outbox row the network code trips over) is logged with its traceback and the next pass runs on time,
on a fresh database connection; each source's outcome is in the log of ``otklik.intake.pipeline``, so the loop
prints nothing of its own. Without ``--loop`` (cron) it prints one line per source and fails loudly.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.db import close_old_connections

from otklik.cli import seconds_or_zero, source_id, whole_number
from otklik.commandline import BaseCommand, CommandError
from otklik.intake.models import Source
from otklik.intake.outbox import send_due
from otklik.intake.pipeline import run_source

log = logging.getLogger("otklik.ingest")
# `--max-pages`: 0 or a negative number read one page all the same.
_pages = whole_number("целое число страниц", 5)


class Command(BaseCommand):
    help = "Прочитать источники (сообщества, каналы, поиск, ленты) с места, где остановились."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--source", type=source_id, action="append", help="id источника (можно несколько)"
        )
        parser.add_argument(
            "--max-pages", type=_pages, default=None, help="не больше стольких страниц за проход"
        )
        parser.add_argument(
            "--loop", type=seconds_or_zero, default=0, help="повторять каждые N секунд (для демо)"
        )
        parser.add_argument(
            "--passes",
            type=whole_number("целое число проходов", 3, zero="0 — не останавливаться"),
            default=0,
            help="с --loop: остановиться после стольких проходов (0 — не останавливаться)",
        )
        parser.add_argument("--send-outbox", action="store_true", help="также отправить созревшие ответы")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["passes"] and not options["loop"]:
            raise CommandError(
                "--passes действует только вместе с --loop N (N больше нуля): без него источники читаются один раз."
            )
        if options["source"]:
            _check_named(options["source"])
        if not options["loop"]:
            self._pass(options, echo=True)
            return
        done = 0
        while True:
            # A long-running process: drop a connection the database closed (a restart, CONN_MAX_AGE) first.
            close_old_connections()
            try:
                self._pass(options, echo=False)
            except Exception:  # one failed pass must not end ingestion until somebody restarts it
                log.exception("ingest pass failed; the next one in %g s", options["loop"])
            done += 1
            if options["passes"] and done >= options["passes"]:
                return
            time.sleep(options["loop"])

    def _pass(self, options: dict[str, Any], *, echo: bool) -> None:
        sources = Source.objects.filter(is_active=True).exclude(kind__in=["import", "manual"])
        if options["source"]:
            sources = sources.filter(pk__in=options["source"])
        for source in sources:
            report = run_source(source, max_pages=options["max_pages"])
            if echo:
                line = (
                    f"{source}: новых {report.created}, обновлено {report.updated}, "
                    f"в карантине {report.quarantined}"
                )
                self.stdout.write(line + (f"; ошибка: {report.error}" if report.error else ""))
        if options["send_outbox"]:
            send_due()


def _check_named(ids: list[int]) -> None:
    """Every source named with ``--source`` is one ingestion reads: a mistyped id, a source switched off or one
    filled only by file imports or manual entry is said, not passed over in silence."""
    # an id beyond the largest key is no source (and beyond the database's integers an OverflowError)
    found = {s.pk: s for s in Source.objects.filter(pk__in=[pk for pk in ids if pk < 2**63])}
    problems = []
    for pk in dict.fromkeys(ids):
        source = found.get(pk)
        if source is None:
            problems.append(f"источник {pk} не найден")
        elif source.kind in {Source.Kind.IMPORT, Source.Kind.MANUAL}:
            problems.append(
                f"источник {pk} («{source}») не читается из сети: его сообщения вносят импортом или вручную"
            )
        elif not source.is_active:
            problems.append(f"источник {pk} («{source}») отключён")
    if problems:
        raise CommandError("; ".join(problems) + ".")
