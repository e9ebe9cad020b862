"""R-14: a surge is alerted once, «not repeated for an ongoing surge», however many workers run the detector. The
detector runs as the task `notify.tasks.detect_surges` every 5 minutes, and docs/operations.md runs «one or more»
`db_worker`s (a second clock or cron is «no harm»). Two runs a second apart now raise one alert: the alerting part of
`analysis.surges.detect` holds the run lock (`notify.services.hold_run_lock`, a row lock of `notify.RunLock`) until
it commits, so the second run waits, then finds the first one's alert ongoing and only updates its evidence.

The interleaving is made deterministic with Django's own query hook (`connection.execute_wrapper`): the second run
(another thread, its own connection, as a second worker) starts right after the first has looked for an ongoing
surge of the place and before it writes its alert, and the first goes on only once the second has finished or is
waiting for a lock (seen in `pg_stat_activity`). On PostgreSQL (row locks); SQLite's IMMEDIATE transactions
serialise every writer anyway.

Found by a review (session 18)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, connections

from otklik.analysis import surges
from otklik.notify.models import Alert, Notice, RunLock
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk
from tests.reports.builders import hot_water_surge

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need a server database (row locks); SQLite serialises every writer",
    ),
]

AT = msk(2025, 10, 8, 11, 40)


class Worker(threading.Thread):
    """Runs `work` in its own connection; keeps its result or the exception it raised."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:  # the test asserts on it
            self.error = exc
        finally:
            connections.close_all()


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def _until_done_or_waiting(worker: Worker) -> None:
    for _ in range(600):
        if not worker.is_alive() or _waiting_for_locks() >= 1:
            return
        time.sleep(0.05)


def test_r14_two_detector_runs_a_second_apart_raise_one_surge_alert(
    personas: Personas, settings: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    hot_water_surge(personas, "Нет горячей воды в доме {i} на ул. Соборной")
    group = TopicGroup.objects.get(name="ЖКХ")
    place = Municipality.objects.get(name="Гатчинский муниципальный округ")
    prefix = f"surge:{group.pk}:{place.pk}:"
    second: list[Worker] = []

    def other_worker(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        looked_for_place = any(isinstance(p, str) and p.startswith(prefix) for p in (params or ()))
        if looked_for_place and not second and "notify_alert" in sql:
            # the other worker's run, a second later
            second.append(Worker(lambda: surges.detect(AT + timedelta(seconds=1))))
            second[0].start()
            _until_done_or_waiting(second[0])
        return result

    with connection.execute_wrapper(other_worker):
        first = surges.detect(AT)
    assert second, "the hook never saw the detector look for an ongoing surge"
    second[0].join()
    assert second[0].error is None, repr(second[0].error)
    raised = Alert.objects.filter(kind=Alert.Kind.SURGE)
    assert len(first) + len(second[0].result) == 1 and raised.count() == 1, (
        f"one surge, {raised.count()} alerts: {list(raised.values_list('key', flat=True))}"
    )
    assert Notice.objects.filter(recipient=personas.observer, kind="alert").count() == 1
    # the second run found the surge ongoing: its evidence was brought up to that run
    assert raised.get().evidence["last_seen"] == int((AT + timedelta(seconds=1)).timestamp())
    assert RunLock.objects.get(name=surges.SURGE_RUN).ran_at == AT + timedelta(seconds=1)
