"""A task worker that dies in the middle of a task (SIGKILL: the OOM killer, a power cut, systemd's kill after its
stop timeout) and is started again (docs/operations.md § Processes, § Periodic jobs).

django-tasks-db marks a task RUNNING when a worker claims it and keeps no heartbeat; a worker started afterwards
takes only READY tasks. Now the clock's job `requeue_stuck_tasks` (every 5 minutes) marks a task RUNNING for over
30 minutes (12 hours on the `training` queue) FAILED with the note `otklik.queueing.WorkerLost` and enqueues a
fresh copy with the same arguments, logged at WARNING with both ids: the page of new messages the dead worker was
analysing is analysed once the worker is back, so the curator's inbox shows its topic, body and place, and an
abusive message is excluded by the moderation (R-10); a copy of photos (`download_attachments`) is made.

Found by a review (session 20b).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otklik.queueing import requeue_stuck_tasks

OTKLIK = str(Path(sys.executable).with_name("otklik"))
TOTAL = 1200  # two pages of analysis (`ANNOTATION_BATCH` 1000)


def _env(var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        OTKLIK_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'otklik.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    return env


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db, timeout=30) as conn:
        return conn.execute(sql).fetchall()


def test_messages_whose_analysis_a_killed_worker_left_are_analysed_once_the_worker_is_back(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    db = tmp_path / "otklik.sqlite3"
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    # A page of new messages as the intake stores it: the messages and their analysis task in one transaction.
    script = (
        "from django.db import transaction\n"
        "from otklik.intake.models import Message\n"
        "from otklik.analysis.pipeline import enqueue_annotation\n"
        "with transaction.atomic():\n"
        f"    ms = Message.objects.bulk_create([Message(network='vk', external_id=f'-1_1_{{i}}', "
        f"text=f'Во дворе дома {{i}} на улице Ленина в Гатчине не убран снег') for i in range({TOTAL})])\n"
        "    enqueue_annotation([m.pk for m in ms])\n"
    )
    subprocess.run([OTKLIK, "shell", "-c", script], env=env, check=True, timeout=300, capture_output=True)

    worker = subprocess.Popen(
        [OTKLIK, "db_worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if _query(db, "select 1 from django_tasks_database_dbtaskresult where status = 'RUNNING'"):
                break
            time.sleep(0.02)
    finally:
        worker.send_signal(signal.SIGKILL)  # the worker dies with the task in its hands
        worker.wait(timeout=30)
    analysed = "select count(distinct message_id) from analysis_suggestion"
    assert _query(db, analysed)[0][0] < TOTAL, "the kill must land before the page is analysed"

    # Over half an hour later (its start moved back rather than waited for) the clock's next round enqueues the
    # job that takes up such tasks, and the worker is started again (systemd's restart, `make run` again) and
    # works through the queue.
    _query(
        db,
        "update django_tasks_database_dbtaskresult set started_at = datetime('now', '-31 minutes') "
        "where status = 'RUNNING'",
    )
    subprocess.run([OTKLIK, "clock", "--once"], env=env, check=True, timeout=300, capture_output=True)
    done = subprocess.run(
        [OTKLIK, "db_worker", "--batch"], env=env, check=True, timeout=600, capture_output=True, text=True
    )

    left = _query(db, "select status, count(*) from django_tasks_database_dbtaskresult group by status")
    assert _query(db, analysed)[0][0] == TOTAL, (
        f"messages never analysed after the worker's restart; the queue: {left}"
    )
    assert "RUNNING" not in dict(left), left
    lost = _query(
        db,
        "select task_path, traceback from django_tasks_database_dbtaskresult "
        "where exception_class_path = 'otklik.queueing.WorkerLost'",
    )
    assert [path for path, _ in lost] == ["otklik.analysis.tasks.annotate_messages_task"], left
    assert "stopped in this task" in lost[0][1]
    assert "left RUNNING by a dead worker" in done.stdout + done.stderr


def _running(path: str, started: timedelta, queue: str = "default", args: list[Any] | None = None) -> Any:
    return DBTaskResult.objects.create(
        status="RUNNING",
        task_path=path,
        args_kwargs={"args": args or [], "kwargs": {}},
        queue_name=queue,
        backend_name="default",
        run_after=timezone.now() - started,
        started_at=timezone.now() - started,
        worker_ids=["dead"],
    )


@pytest.mark.django_db
def test_only_tasks_running_past_their_limit_are_taken_up_and_a_waiting_copy_is_not_doubled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    hour = timedelta(hours=1)
    page = _running("otklik.intake.tasks.download_attachments", hour, args=[[5, 6]])
    busy = _running("otklik.intake.tasks.download_attachments", timedelta(minutes=5), args=[[7]])
    training = _running("otklik.analysis.tasks.retrain_topics_task", hour, queue="training")
    sweep = _running("otklik.cases.tasks.sweep_deadlines", hour)
    waiting = DBTaskResult.objects.create(
        task_path=sweep.task_path,
        args_kwargs=sweep.args_kwargs,
        backend_name="default",
        run_after=timezone.now(),
    )
    with caplog.at_level("WARNING", logger="otklik.queueing"):
        assert requeue_stuck_tasks.call() == 2

    states = {r.pk: r.status for r in DBTaskResult.objects.all()}
    assert (states[page.pk], states[sweep.pk]) == ("FAILED", "FAILED")
    assert (states[busy.pk], states[training.pk], states[waiting.pk]) == ("RUNNING", "RUNNING", "READY")
    copies = DBTaskResult.objects.filter(status="READY").exclude(pk=waiting.pk)
    assert [(c.task_path, c.args_kwargs["args"]) for c in copies] == [(page.task_path, [[5, 6]])]
    assert DBTaskResult.objects.filter(status="READY", task_path=sweep.task_path).count() == 1
    said = caplog.text
    assert str(page.pk) in said and page.task_path in said and str(copies[0].pk) in said
    assert f"its copy {waiting.pk} waits" in said

    requeue_stuck_tasks.call()  # a second run finds nothing left
    assert DBTaskResult.objects.filter(status="READY").count() == 2


@pytest.mark.django_db
def test_a_task_that_killed_its_worker_three_times_is_not_enqueued_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A page that kills the worker every time (too large for the memory, say) would come back every half hour for
    ever: its third loss marks it failed and leaves it for the administrator, with an ERROR that says so."""
    hour = timedelta(hours=1)
    _running("otklik.analysis.tasks.annotate_messages_task", hour, args=[[9, 10]])
    for _ in range(
        2
    ):  # the first two losses: marked failed and enqueued again; the copy kills its worker too
        assert requeue_stuck_tasks.call() == 1
        copy = DBTaskResult.objects.get(status="READY")
        assert copy.args_kwargs["args"] == [[9, 10]]
        DBTaskResult.objects.filter(pk=copy.pk).update(status="RUNNING", started_at=timezone.now() - hour)
    with caplog.at_level("ERROR", logger="otklik.queueing"):
        requeue_stuck_tasks.call()

    assert DBTaskResult.objects.filter(status="FAILED").count() == 3

    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    assert "NOT enqueued again" in caplog.text and "annotate_messages_task" in caplog.text
