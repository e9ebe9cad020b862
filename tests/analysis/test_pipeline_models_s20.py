"""The topic models the analysis of new messages uses (R-8.1) and the moderation that must not wait for them (R-10).

What a curator now sees: the week after the training worker (a process of its own, docs/operations.md) stored a
model retrained on her confirmed topics, the inbox's topic and body suggestions for new messages come from that
model — the analysis worker looks in var/models before each page of messages, no restart needed — and name it as
their model version. A newest model left damaged by a killed training is passed over (an ERROR in the log) for the
previous good one or the shipped one: new messages are still moderated (an abusive one excluded) and annotated.

Found by a review (session 20)."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.analysis.tasks import annotate_messages_task
from otklik.analysis.topics import default_model_dir, reload_topic_model
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from otklik.org.loaders import load_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.VAR_DIR = tmp_path
    reset_gazetteer()
    reset_repeat_index()
    load_directory()
    reload_topic_model()
    yield tmp_path
    reload_topic_model()  # later tests must not keep a model loaded from this directory
    reset_gazetteer()
    reset_repeat_index()


def _ingest(django_capture_on_commit_callbacks: Any, *texts: str, prefix: str) -> list[Message]:
    """A page of new VK comments as the connectors hand them over (the analysis task is queued with it)."""
    with django_capture_on_commit_callbacks(execute=True):
        upsert(
            [
                ParsedMessage(network="vk", external_id=f"{prefix}_{i}", text_raw=t)
                for i, t in enumerate(texts)
            ]
        )
    return list(Message.objects.filter(external_id__startswith=f"{prefix}_").order_by("pk"))


def _run_worker() -> None:
    """What `otklik db_worker` does with each queued analysis task: run it once; a task that raises is FAILED
    and not run again."""
    for row in DBTaskResult.objects.filter(task_path__endswith="annotate_messages_task").order_by("id"):
        if row.status != "READY":
            continue
        try:
            annotate_messages_task.call(*row.args_kwargs["args"])
            row.status = "SUCCESSFUL"
        except Exception:  # the worker records the failure and goes on
            row.status = "FAILED"
        row.save(update_fields=["status"])


def _installation_model(var_dir: Path, version: str) -> Path:
    """What the training worker leaves in var/models after `train_installation_model` (another process): a
    model directory named by its version."""
    target = var_dir / "models" / version
    shutil.copytree(default_model_dir(), target)
    with gzip.open(target / "model.json.gz", "rt", encoding="utf-8") as fh:
        head = json.load(fh)
    head["version"] = version
    with gzip.open(target / "model.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(head, fh, ensure_ascii=False)
    return target


def test_the_weekly_retrained_topic_model_is_used_for_the_next_messages(
    var_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The analysis worker has analysed messages (its topic model is loaded); then the training worker, a process
    of its own, stores this week's model trained on the curators' confirmed topics. The next messages must be
    analysed with it — not with the model the worker loaded at its start, until someone restarts it."""
    _ingest(django_capture_on_commit_callbacks, "В Гатчине третий день нет горячей воды", prefix="1_1")
    _run_worker()
    _installation_model(var_dir, "topics-installation-20991231030000")
    [later] = _ingest(django_capture_on_commit_callbacks, "Во дворе не вывозят мусор", prefix="1_2")
    _run_worker()
    topic = Suggestion.objects.get(message=later, kind=Kind.TOPIC)
    assert topic.model_version == "topics-installation-20991231030000"
