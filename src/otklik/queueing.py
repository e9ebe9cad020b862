"""Enqueueing background tasks so that the worker sees them only with the data they are about."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task, task_backends

log = logging.getLogger(__name__)


def tasks_in_this_database() -> bool:
    """Whether the task queue is a table of this database (django-tasks-db, the default)."""
    return bool(settings.TASKS.get("default", {}).get("BACKEND") == "django_tasks_db.DatabaseBackend")


def enqueue_with_transaction(send: Callable[[], None]) -> None:
    """Run ``send`` (which enqueues tasks) so that the tasks appear to the worker together with the surrounding
    transaction's data or not at all: inside the transaction when the queue is this database's table (no second
    commit), else after the commit."""
    if tasks_in_this_database():
        send()
    else:
        transaction.on_commit(send)


# Finished task results kept in the queue's table: two weeks of successes, three months of failures (for a look
# at what went wrong). The clock enqueues hundreds of tasks a day, so without pruning the table only grows.
KEEP_SUCCESSFUL_DAYS = 14
KEEP_FAILED_DAYS = 90


@task()
def clear_sessions() -> None:
    """Delete the sessions that have ended (Django's ``clearsessions``; the cron equivalent: ``otklik
    clearsessions``): a session ends 4 hours after its last request, and the sign-in keeps a signed-out form's text
    in one (`web.signed_out`), so the table grows by every visit; run daily."""
    from django.core.management import call_command

    call_command("clearsessions")


@task()
def prune_task_results() -> None:
    """Delete old finished task results through django-tasks-db's own ``prune_db_task_results`` (the cron
    equivalent: ``otklik prune_db_task_results --min-age-days 14 --failed-min-age-days 90``); run daily. It logs
    how many it deleted (logger ``django_tasks_db.prune_db_task_results``)."""
    from django.core.management import call_command

    call_command(
        "prune_db_task_results", min_age_days=KEEP_SUCCESSFUL_DAYS, failed_min_age_days=KEEP_FAILED_DAYS
    )


# A task that django-tasks-db shows as RUNNING longer than this was left by a worker that died in it (the OOM
# killer, a power cut, systemd's kill after its stop timeout): the package keeps no heartbeat, and a worker started
# afterwards takes only READY tasks. The longest of ours, a page of 1000 new messages, is analysed in well under
# a minute; the weekly retraining (queue ``training``) in minutes, so it gets hours.
STUCK_AFTER = timedelta(minutes=30)
STUCK_AFTER_BY_QUEUE = {"training": timedelta(hours=12)}
# A task whose worker died in it this many times (the same task with the same arguments) is not enqueued again: it
# is what kills the worker (a page too large for the memory, say); the log's ERROR asks for it to be run by hand.
MAX_WORKER_LOST = 3


def waiting_copy(
    task_path: str, queue_name: str, backend_name: str, args_kwargs: dict[str, Any] | None = None
) -> Any:
    """A copy of the task on django-tasks-db's table not yet started (READY, deferred or not) — with these
    arguments when ``args_kwargs`` is given — or None: it will run the task, so another copy would only pile up
    behind it (the clock's jobs, `requeue_stuck_tasks`)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=task_path, queue_name=queue_name, backend_name=backend_name
    )
    if args_kwargs is not None:
        waiting = waiting.filter(args_kwargs=args_kwargs)
    return waiting.first()


class WorkerLost(Exception):
    """The note a task left RUNNING by a dead worker is marked FAILED with (its exception class path)."""


@task()
def requeue_stuck_tasks() -> int:
    """Mark FAILED each task left RUNNING by a worker that died in it (started longer ago than ``STUCK_AFTER``, or
    its queue's limit in ``STUCK_AFTER_BY_QUEUE``) and enqueue a fresh copy of it with the same arguments, unless an
    identical copy already waits; our tasks may be run again (a page's analysis stores the same verdicts again,
    a copy of photos skips those copied, an outbox row is sent once). Run every 5 minutes by the clock; returns how
    many tasks were taken up."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task_backends["default"] if tasks_in_this_database() else None
    if not isinstance(backend, DatabaseBackend):
        return 0
    now = timezone.now()
    taken = 0
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - min([STUCK_AFTER, *STUCK_AFTER_BY_QUEUE.values()]),
    )
    for row in running.order_by("started_at"):
        limit = STUCK_AFTER_BY_QUEUE.get(row.queue_name, STUCK_AFTER)
        if row.started_at is None or row.started_at >= now - limit:
            continue
        note = (
            f"worker {', '.join(row.worker_ids) or '?'} stopped in this task (RUNNING since "
            f"{row.started_at.isoformat()}, over {limit} ago): marked failed and enqueued again"
        )
        with transaction.atomic():
            # only if still the same run: a worker that was merely slow and finished meanwhile keeps its result
            if not DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}: {note}\n",
            ):
                continue
            args = row.args_kwargs.get("args", [])
            kwargs = row.args_kwargs.get("kwargs", {})
            lost = DBTaskResult.objects.filter(
                status=TaskResultStatus.FAILED,
                task_path=row.task_path,
                args_kwargs=row.args_kwargs,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            ).count()
            if lost >= MAX_WORKER_LOST:
                log.error(
                    "task %s (%s) left RUNNING by a dead worker since %s: marked failed and NOT enqueued again — its "
                    "worker died in it %d times; find the cause (memory?) and run it by hand",
                    row.pk,
                    row.task_path,
                    row.started_at.isoformat(),
                    lost,
                )
                taken += 1
                continue
            waiting = waiting_copy(row.task_path, row.queue_name, row.backend_name, row.args_kwargs)
            if waiting is not None:
                log.warning(
                    "task %s (%s) left RUNNING by a dead worker since %s: marked failed; its copy %s waits",
                    row.pk,
                    row.task_path,
                    row.started_at.isoformat(),
                    waiting.pk,
                )
            else:
                try:
                    again = import_string(row.task_path).using(
                        priority=row.priority, queue_name=row.queue_name, backend=row.backend_name
                    )
                    with transaction.atomic():  # a failure here leaves the mark above
                        copy = again.enqueue(*args, **kwargs)
                except Exception:
                    log.exception(
                        "task %s (%s) left RUNNING by a dead worker since %s: marked failed, "
                        "but could not be enqueued again",
                        row.pk,
                        row.task_path,
                        row.started_at.isoformat(),
                    )
                else:
                    log.warning(
                        "task %s (%s) left RUNNING by a dead worker since %s: marked failed, enqueued again as %s",
                        row.pk,
                        row.task_path,
                        row.started_at.isoformat(),
                        copy.id,
                    )
        taken += 1
    return taken
