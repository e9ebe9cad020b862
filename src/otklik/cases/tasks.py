"""Background tasks of the case workflow (django-tasks; the worker is `otklik db_worker`)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .sla import sweep


@task()
def sweep_deadlines(now: str | None = None) -> dict[str, int]:
    """R-12: record missed deadlines and send reminders. `now` (ISO 8601) is for replays and tests."""
    report = sweep(datetime.fromisoformat(now) if now else None)
    return {
        "breached": report.breached,
        "reminders": report.reminders,
        "windows_expired": report.windows_expired,
    }
