"""`otklik clock`: the installation's periodic jobs, for machines without cron.

Each job is enqueued as a background task for the `db_worker`, on a fixed period; every job is idempotent,
so a second clock or a cron entry running the same commands does no harm. With cron instead, run the
management commands named beside each job.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections

from otklik.cli import seconds
from otklik.commandline import BaseCommand

log = logging.getLogger("otklik.clock")


@dataclass
class Job:
    name: str
    every_seconds: int
    enqueue: Callable[[], Any]
    cron: str  # the equivalent command for a crontab
    last: float = float("-inf")


def jobs() -> list[Job]:
    from otklik.analysis.tasks import retrain_topics_task
    from otklik.cases.tasks import sweep_deadlines
    from otklik.governor.tasks import governor_checks
    from otklik.notify.tasks import detect_surges, resend_alerts
    from otklik.queueing import prune_task_results
    from otklik.reports.tasks import deliver_monthly_report

    return [
        # missed deadlines become violations; reminders before deadlines.
        Job("sweep_deadlines", 60, sweep_deadlines.enqueue, "otklik sweep_deadlines"),
        # the Governor's posts are checked every 2 working hours; the task knows which moments are due.
        Job("governor_checks", 300, governor_checks.enqueue, "otklik governor_checks"),
        # surges and alerts whose delivery failed.
        Job("detect_surges", 300, detect_surges.enqueue, "(task notify.tasks.detect_surges)"),
        Job("resend_alerts", 600, resend_alerts.enqueue, "(task notify.tasks.resend_alerts)"),
        # last month's report, delivered once on the first working day; on the first working day of a
        # quarter also last quarter's rating.
        Job(
            "deliver_monthly_report",
            3600,
            deliver_monthly_report.enqueue,
            "otklik report deliver && otklik report deliver --rating",
        ),
        # The topic model learns from the curators' confirmed choices.
        Job("retrain_topics", 7 * 24 * 3600, retrain_topics_task.enqueue, "otklik retrain_topics"),
        # The queue's table keeps two weeks of finished tasks and three months of failures.
        Job(
            "prune_task_results",
            24 * 3600,
            prune_task_results.enqueue,
            "otklik prune_db_task_results --min-age-days 14 --failed-min-age-days 90",
        ),
    ]


class Command(BaseCommand):
    help = "Периодические задания (просрочки, проверки постов Губернатора, всплески, ежемесячный отчёт, квартальный рейтинг)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="поставить все задания один раз и выйти")
        parser.add_argument(
            "--tick", type=seconds, default=5.0, help="как часто проверять расписание, секунд"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        schedule = jobs()
        stop = False

        def _stop(*_: Any) -> None:
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        while not stop:
            now = time.monotonic()
            for job in schedule:
                if now - job.last >= job.every_seconds:
                    job.last = now
                    try:
                        result = job.enqueue()
                        log.info("enqueued %s as %s", job.name, getattr(result, "id", result))
                    except Exception:  # one failing job must not stop the others
                        log.exception("could not enqueue %s", job.name)
            if options["once"]:
                self.stdout.write(f"Поставлено заданий: {len(schedule)}.")
                return
            close_old_connections()  # a connection broken meanwhile (a database restart) is not used again
            time.sleep(options["tick"])
