"""Background tasks of the reports (django-tasks; the worker is `otklik db_worker`)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .delivery import deliver_monthly, deliver_rating


@task()
def deliver_monthly_report(now: str | None = None) -> str:
    """R-13: run daily (or at least on the first working day); delivers last month's report once, and on the
    first working day of a quarter last quarter's rating once. Returns the periods delivered («2025-09, 2025Q3»)."""
    moment = datetime.fromisoformat(now) if now else None
    runs = [deliver_monthly(moment), deliver_rating(moment)]
    # a run kept for want of observers is delivered by a later one (`delivery._deliver`)
    return ", ".join(run.period_key for run in runs if run and run.delivered_at)
