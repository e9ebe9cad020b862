"""`otklik clock`: the installation's periodic jobs, for machines without cron.

Each job is enqueued as a background task for the `db_worker`, on a fixed period; every job is idempotent,
so a second clock or a cron entry running the same commands does no harm. With cron instead, run the
management commands named beside each job.

A job whose copy is still waiting on the queue (not yet started: the worker down over a weekend, or busy) is not
enqueued again: that copy runs it, reading the time when it runs, and the worker does not come back to thousands
of deadline sweeps ahead of the morning's messages. A job's period counts from the tick that enqueued it (or found
its copy waiting), never from one that failed (the database not up yet): that one is tried again on the next tick.
"""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass
from typing import Any

from django.db import close_old_connections
from django_tasks.base import Task

from otklik.cli import seconds
from otklik.commandline import BaseCommand, CommandError

log = logging.getLogger("otklik.clock")


@dataclass
class Job:
    name: str
    every_seconds: int
    task: Task[[], Any]
    cron: str  # the equivalent command for a crontab
    last: float = float("-inf")  # the tick that enqueued it or found its copy waiting (monotonic clock)

    def waiting(self) -> bool:
        """Whether a copy of this job is on the queue and not yet started (django-tasks-db's READY, deferred or
        not): it will run the job, so another copy would only pile up behind it. Always False for a queue that
        is not this database's table (nothing to ask)."""
        from django_tasks_db.backend import DatabaseBackend

        from otklik.queueing import waiting_copy

        if not isinstance(self.task.get_backend(), DatabaseBackend):
            return False
        return waiting_copy(self.task.module_path, self.task.queue_name, self.task.backend) is not None

    def enqueue(self) -> Any:
        return self.task.enqueue()


def jobs() -> list[Job]:
    from otklik.analysis.tasks import retrain_topics_task
    from otklik.cases.tasks import sweep_deadlines
    from otklik.governor.tasks import governor_checks
    from otklik.notify.tasks import detect_surges, resend_alerts
    from otklik.queueing import clear_sessions, prune_task_results, requeue_stuck_tasks
    from otklik.reports.tasks import deliver_monthly_report

    return [
        # missed deadlines become violations; reminders before deadlines.
        Job("sweep_deadlines", 60, sweep_deadlines, "otklik sweep_deadlines"),
        # the Governor's posts are checked every 2 working hours; the task knows which moments are due.
        Job("governor_checks", 300, governor_checks, "otklik governor_checks"),
        # surges and alerts whose delivery failed.
        Job("detect_surges", 300, detect_surges, "(task notify.tasks.detect_surges)"),
        Job("resend_alerts", 600, resend_alerts, "(task notify.tasks.resend_alerts)"),
        # last month's report, delivered once on the first working day; on the first working day of a
        # quarter also last quarter's rating.
        Job(
            "deliver_monthly_report",
            3600,
            deliver_monthly_report,
            "otklik report deliver && otklik report deliver --rating",
        ),
        # The topic model learns from the curators' confirmed choices.
        Job("retrain_topics", 7 * 24 * 3600, retrain_topics_task, "otklik retrain_topics"),
        # A task a dead worker left RUNNING (killed in it) is marked failed and enqueued again.
        Job("requeue_stuck_tasks", 300, requeue_stuck_tasks, "(task queueing.requeue_stuck_tasks)"),
        # The queue's table keeps two weeks of finished tasks and three months of failures.
        Job(
            "prune_task_results",
            24 * 3600,
            prune_task_results,
            "otklik prune_db_task_results --min-age-days 14 --failed-min-age-days 90",
        ),
        # Ended sessions (and the texts of forms sent signed out kept in them) are deleted.
        Job("clear_sessions", 24 * 3600, clear_sessions, "otklik clearsessions"),
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
            enqueued, waiting, failed = 0, [], []
            for job in schedule:
                if now - job.last < job.every_seconds:
                    continue
                try:
                    if job.waiting():
                        log.info("%s not enqueued: its copy enqueued before has not started yet", job.name)
                        waiting.append(job.name)
                    else:
                        result = job.enqueue()
                        log.info("enqueued %s as %s", job.name, getattr(result, "id", result))
                        enqueued += 1
                except Exception:  # one failing job must not stop the others; it is tried again next tick
                    log.exception("could not enqueue %s; trying again on the next tick", job.name)
                    failed.append(job.name)
                    continue
                job.last = (
                    now  # only once enqueued (or its copy found waiting): a failed tick counts for nothing
                )
            if options["once"]:
                said = f"Поставлено заданий: {enqueued}."
                if waiting:
                    said += f" Уже ждут исполнителя в очереди, не поставлены снова: {', '.join(waiting)}."
                self.stdout.write(said)
                if failed:
                    raise CommandError(
                        f"Не удалось поставить в очередь: {', '.join(failed)} (подробности в журнале).",
                        returncode=1,
                    )
                return
            close_old_connections()  # a connection broken meanwhile (a database restart) is not used again
            time.sleep(options["tick"])
