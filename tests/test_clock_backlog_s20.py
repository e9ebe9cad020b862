"""`otklik clock` while the task worker is down (a crash on Friday evening found on Monday, the New Year holidays)
puts each periodic job on the queue once: a job whose copy is still waiting for the worker is not enqueued again,
so when the worker is back it runs the deadline sweep, the Governor's checks and the surge detector once each, not
hundreds or thousands of times ahead of the morning's messages. A job is recorded as run only once it is enqueued:
a database not up at the clock's start (or restarting at a job's tick) costs one tick, not a week of retraining or
a day of pruning, as docs/operations.md promises. `otklik clock --once` says which jobs it put on the queue and
which were already waiting. R-12, R-13, R-14 (the periodic jobs). Found by a review (session 20)."""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from otklik.web.management.commands import clock

# no test transaction around the clock: it closes a connection left in one at each tick (close_old_connections),
# and a failed statement must not break it
pytestmark = pytest.mark.django_db(transaction=True)


class _Time:
    """The clock's `time`: a monotonic clock that a tick's sleep moves on; at `until` seconds it stops the clock as
    SIGTERM does."""

    def __init__(self, until: float) -> None:
        self.now = 1000.0
        self.until = self.now + until

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        if self.now >= self.until:
            os.kill(os.getpid(), signal.SIGTERM)  # the clock's own handler ends its loop


@pytest.fixture
def handlers() -> Iterator[None]:
    saved = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGTERM, saved[0])
    signal.signal(signal.SIGINT, saved[1])


def test_a_weekend_without_the_worker_leaves_each_periodic_job_waiting_once_not_thousands_of_times(
    handlers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker stops on Friday at 18:00 and is started again on Monday at 09:00 (63 hours); the clock runs all
    the while. A job still waiting on the queue needs no second copy: when the worker is back, each job should
    run once (they are idempotent and read the time when they run). Now the queue holds 3,780 deadline sweeps,
    756 Governor's checks, 756 surge detections, 378 resends and 63 report deliveries."""
    hours = 63
    monkeypatch.setattr(clock, "time", _Time(until=hours * 3600))
    call_command("clock", "--tick", "60", stdout=StringIO())
    waiting = Counter(
        DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True).iterator()
    )
    print(dict(waiting))
    piled = {path.rsplit(".", 1)[1]: n for path, n in waiting.items() if n > 1}
    assert piled == {}, (
        f"jobs waiting on the queue more than once after {hours} h without the worker: {piled}"
    )


def test_a_database_not_yet_up_when_the_clock_starts_costs_one_tick_not_a_week(
    handlers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/operations.md: «The clock reconnects to the database on every tick, so a database restart costs at
    most one tick.» The clock starts at boot a few seconds before PostgreSQL accepts connections (or the database
    restarts at the moment of a job's tick): the enqueue fails and is logged, but the job's period is counted from
    that failed tick — the retraining (weekly, «and at the clock's start») waits a week, the pruning a day, the
    report delivery an hour."""
    from django.db import OperationalError, connection

    fake = _Time(until=2 * 3600)
    monkeypatch.setattr(clock, "time", fake)
    started = fake.now

    def database_down(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if fake.now == started:  # the first tick only
            raise OperationalError(
                'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_down):
        call_command("clock", "--tick", "60", stdout=StringIO())
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    missing = sorted(
        name
        for name in ("retrain_topics_task", "prune_task_results", "deliver_monthly_report")
        if not any(path.endswith(name) for path in queued)
    )
    assert missing == [], f"not enqueued in the two hours after a failed first tick: {missing}"


def test_clock_once_says_which_jobs_were_already_waiting_and_enqueues_them_no_second_time() -> None:
    """`otklik clock --once` run twice with no worker between: the second run enqueues nothing and says why."""
    call_command("clock", "--once", stdout=StringIO())
    out = StringIO()
    call_command("clock", "--once", stdout=out)
    said = out.getvalue()
    assert "Поставлено заданий: 0." in said
    assert "Уже ждут исполнителя в очереди, не поставлены снова: sweep_deadlines, governor_checks" in said
    waiting = Counter(DBTaskResult.objects.values_list("task_path", flat=True))
    assert set(waiting.values()) == {1} and len(waiting) == len(clock.jobs())
