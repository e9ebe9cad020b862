"""Background tasks of the reports (django-tasks; the worker is `otklik db_worker`)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .delivery import deliver_monthly


@task()
def deliver_monthly_report(now: str | None = None) -> str:
    """R-13: run daily (or at least on the first working day); delivers last month's report once."""
    run = deliver_monthly(datetime.fromisoformat(now) if now else None)
    return run.period_key if run else ""
