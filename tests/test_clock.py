"""`otklik clock --once` puts every periodic job on the task queue for the worker (R-7.4, R-12, R-13, R-14)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


@pytest.mark.django_db
def test_clock_enqueues_every_periodic_job_for_the_worker() -> None:
    out = StringIO()
    call_command("clock", "--once", stdout=out)
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert {
        "otklik.cases.tasks.sweep_deadlines",
        "otklik.governor.tasks.governor_checks",
        "otklik.notify.tasks.detect_surges",
        "otklik.notify.tasks.resend_alerts",
        "otklik.reports.tasks.deliver_monthly_report",
        "otklik.analysis.tasks.retrain_topics_task",
        "otklik.queueing.prune_task_results",
        "otklik.queueing.clear_sessions",
        "otklik.queueing.requeue_stuck_tasks",
    } <= queued
    assert "Поставлено заданий: 9." in out.getvalue()
