"""The weekly retraining of the topic model (`analysis.tasks.retrain_topics_task`) runs in the training worker's own
process (`otklik db_worker --queue-name training`, docs/operations.md § Processes) — here a real second process. The
worker that analyses new messages, which had loaded the shipped model, analyses the next page of messages with the
newly trained one, with no restart (`topics.refresh_topic_model`), and the suggestions name it; before, it kept the
model it loaded first until restarted, so the curators' confirmed topics never reached the inbox's suggestions.
Found by a review (session 20)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.tasks import annotate_messages_task
from otklik.analysis.topics import installation_models, reload_topic_model
from otklik.intake.models import Message

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def var_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    reload_topic_model()
    yield tmp_path
    reload_topic_model()  # later tests must not keep a model loaded from this directory


def _training_worker(var: Path) -> None:
    """The training worker's run of the weekly job, in a process of its own over the same var directory (its
    database there, migrated first; `otklik retrain_topics` is the same run as the clock's task)."""
    env = {**os.environ, "OTKLIK_VAR_DIR": str(var), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    for args in (["migrate", "-v0"], ["retrain_topics"]):
        subprocess.run(
            [sys.executable, "-m", "otklik", *args],
            env=env,
            cwd=var,
            check=True,
            capture_output=True,
            timeout=600,
        )


def _topic_version(text: str, n: int) -> str:
    message = Message.objects.create(network="vk", external_id=f"rt-{n}", text=text)
    annotate_messages_task.call([message.pk])  # the analysis worker's task for a new message
    return str(
        Suggestion.objects.filter(message=message, kind=Kind.TOPIC)
        .values_list("model_version", flat=True)
        .get()
    )


def test_new_messages_are_analysed_by_the_model_the_weekly_retraining_made(var_dir: Path) -> None:
    before = _topic_version("Во дворе на улице Ленина не убран снег", 1)  # the worker has its model loaded
    _training_worker(var_dir)
    (trained,) = installation_models()
    after = _topic_version("Во дворе на улице Мира не убран снег", 2)  # the next message, the same worker
    assert after == trained.name, (
        f"the analysis worker still suggests topics with {after} (loaded at its start, before: {before}); "
        f"the model the retraining made, {trained.name}, is used only after a restart"
    )
