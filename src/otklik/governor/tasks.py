"""Background tasks of the Governor's posts (django-tasks; the worker is `otklik db_worker`)."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from .service import run_checks


@task()
def governor_checks(now: str | None = None, fetch: bool = True) -> dict[str, int]:
    """R-7.4: open watches for new Governor's posts and run every check whose moment has come (idempotent:
    schedule it every few minutes). `now` (ISO 8601) is for replays and tests."""
    report = run_checks(datetime.fromisoformat(now) if now else None, fetch=fetch)
    return {
        "watches": report.watches,
        "done": report.done,
        "missed": report.missed,
        "new_comments": report.new_comments,
        "errors": report.errors,
        "stopped": report.stopped,
        "withdrawn": report.withdrawn,
        "restored": report.restored,
        "post_gone": report.post_gone,
    }
