"""The operator's view of the running system: periodic jobs that can run for ever without filling var/ or the
database, and the ingestion loop that keeps going when one pass fails."""

from __future__ import annotations

import io
import logging
import shutil
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otklik.analysis.models import Decision, Kind
from otklik.analysis.tasks import retrain_topics_task
from otklik.analysis.topics import default_model_dir, installation_models, reload_topic_model
from otklik.cases.tasks import sweep_deadlines
from otklik.intake.demo import DEMO_PORTS
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import enqueue_reply
from otklik.intake.pipeline import run_source
from otklik.queueing import prune_task_results
from tests.fakes.vk import FakeVK


@pytest.fixture
def var_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    reload_topic_model()
    yield tmp_path
    reload_topic_model()  # later tests must not keep a model loaded from this directory


@pytest.mark.django_db
def test_weekly_retraining_neither_repeats_itself_nor_fills_var_models(var_dir: Path) -> None:
    """The clock enqueues the retraining when it starts and then weekly: a restart with nothing new to learn
    trains nothing, and var/models keeps only the newest installation models."""
    models = var_dir / "models"
    for stamp in ("20250101030000", "20250201030000", "20250301030000"):  # three earlier weekly models
        shutil.copytree(default_model_dir(), models / f"topics-installation-{stamp}")

    first = retrain_topics_task.call()
    assert first["retrained"] is True
    kept = [p.name for p in installation_models()]
    assert kept == [
        "topics-installation-20250201030000",
        "topics-installation-20250301030000",
        first["version"],
    ]

    again = retrain_topics_task.call()  # the clock restarted: no new curator decisions
    assert again == {"version": first["version"], "retrained": False}
    out = io.StringIO()
    call_command("retrain_topics", stdout=out)  # cron's weekly run is the same task
    assert "не переобучалась" in out.getvalue()
    assert [p.name for p in installation_models()] == kept

    message = Message.objects.create(network="vk", external_id="ops-1", text="Во дворе не убран снег")
    Decision.objects.create(message=message, kind=Kind.TOPIC, value={"topic": "Уборка снега"})
    later = retrain_topics_task.call()  # a curator confirmed a topic since: learn from it
    assert later["retrained"] is True
    assert len(installation_models()) == 3
    assert installation_models()[-1].name == later["version"]


@pytest.fixture
def fake_vk() -> Iterator[FakeVK]:
    with FakeVK() as fake:
        yield fake


@pytest.mark.django_db(transaction=True)  # the loop drops stale connections between passes, as a server must
def test_an_answer_the_publishing_code_trips_over_fails_its_row_and_the_loop_goes_on(
    fake_vk: FakeVK, caplog: pytest.LogCaptureFixture
) -> None:
    """R-4, R-8.7: `otklik ingest --loop 60 --send-outbox` (started by `make run`) is the only reader of the
    networks: an approved answer the publishing code trips over (here a community id typed as a name in the
    source's settings) is one ERROR line in the log and a failed outbox row, and the next pass reads the networks
    again, instead of the process ending and intake stopping until somebody notices."""
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={
            "api_base": f"{fake_vk.url}/method/",
            "token": fake_vk.token,
            "group_id": "club200000001",
            "per_second": 0,
        },
    )
    run_source(source)
    message = Message.objects.filter(source=source, is_official=False).order_by("pk").first()
    assert message is not None
    enqueue_reply(message, "Здравствуйте! Запись открыта.", "ops-answer-1")
    wall_reads = sum(r.path.endswith("/wall.get") for r in fake_vk.requests)

    out = io.StringIO()
    with caplog.at_level(logging.INFO):
        call_command("ingest", "--loop", "0.01", "--passes", "2", "--send-outbox", stdout=out)

    assert sum(r.path.endswith("/wall.get") for r in fake_vk.requests) == wall_reads + 2
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 1 and "publishing failed unexpectedly" in failures[0].getMessage()
    assert failures[0].exc_info is not None and failures[0].exc_info[0] is ValueError
    # the answer is not stuck «sending»: it is failed, so the executor is told to publish it by hand
    row = Outbox.objects.get(idempotency_key="ops-answer-1")
    assert row.state == Outbox.State.FAILED and "unexpected error: ValueError" in row.last_error
    assert out.getvalue() == ""  # the loop's news are the pipeline's log lines, not a second copy on stdout


@pytest.mark.django_db
def test_old_task_results_are_pruned_and_recent_ones_and_failures_kept() -> None:
    """The clock enqueues a deadline sweep every minute (R-12): the queue's table must not keep every finished
    run for ever. Successes older than two weeks go, failures stay three months for a look at what went wrong,
    tasks not yet run are never touched."""
    now = timezone.now()

    def finished(status: str, days_ago: int) -> str:
        result = sweep_deadlines.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            status=status,
            started_at=now - timedelta(days=days_ago),
            finished_at=now - timedelta(days=days_ago),
        )
        return str(result.id)

    old_success = finished("SUCCESSFUL", 20)
    recent_success = finished("SUCCESSFUL", 2)
    month_old_failure = finished("FAILED", 20)
    old_failure = finished("FAILED", 100)
    waiting = str(sweep_deadlines.enqueue().id)

    prune_task_results.call()
    left = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert left == {recent_success, month_old_failure, waiting}
    assert old_success not in left and old_failure not in left


def test_fake_networks_on_a_busy_port_is_a_clear_russian_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A second `make run` beside a running one: the demo networks' fixed ports are taken; the operator reads
    which port and why, not a traceback of socketserver. The test holds a port of its own as the VK fake's (the
    fixed 8701 may be taken and released meanwhile by the other test suite running beside this one, and the
    command would then serve for ever)."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        monkeypatch.setitem(DEMO_PORTS, "vk", port)
        with pytest.raises(
            CommandError, match=rf"не удалось занять порт 127\.0\.0\.1:{port} для имитатора vk"
        ):
            call_command("fake_networks", stdout=io.StringIO())
