"""Enqueueing background tasks so that the worker sees them only with the data they are about."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
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
