"""Enqueueing background tasks so that the worker sees them only with the data they are about."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction


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
