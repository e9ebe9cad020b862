"""Enqueueing background tasks so that the worker sees them only with the data they are about."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task


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
def prune_task_results() -> int:
    """Delete old finished task results (as django-tasks-db's ``otklik prune_db_task_results --min-age-days 14
    --failed-min-age-days 90`` does, its cron equivalent); run it daily. Returns how many were deleted."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    old = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=now - timedelta(days=KEEP_SUCCESSFUL_DAYS))
        | Q(status=TaskResultStatus.FAILED, finished_at__lte=now - timedelta(days=KEEP_FAILED_DAYS))
    )
    deleted, _ = old.delete()
    return deleted
