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
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.pipeline import is_blocked
from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.analysis.tasks import annotate_messages_task, expand_ids
from otklik.analysis.topics import default_model_dir, reload_topic_model
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from otklik.org.loaders import load_directory
from tests.conftest import Personas

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


def test_a_damaged_newest_topic_model_does_not_stop_the_moderation_of_new_messages(
    var_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The training was killed (or the disk filled up) while it wrote weights.npz: the newest installation model
    is a truncated file. New messages must still be moderated (R-10: the abusive one excluded) and annotated —
    not left in the inbox with «нет подсказок» and the obscenity shown as an ordinary message, for ever."""
    damaged = _installation_model(var_dir, "topics-installation-20991231030000")
    data = (damaged / "weights.npz").read_bytes()
    (damaged / "weights.npz").write_bytes(data[: len(data) // 3])
    ordinary, abusive = _ingest(
        django_capture_on_commit_callbacks,
        "В Луге на улице Мира яма",
        "Глава района — мразь, бл@ть",
        prefix="1_3",
    )
    _run_worker()
    assert is_blocked(abusive)
    assert Suggestion.objects.filter(message=ordinary, kind=Kind.MODERATION).exists()
    # annotated with the model before the damaged one (here the shipped one), not left without suggestions
    topic = Suggestion.objects.get(message=ordinary, kind=Kind.TOPIC)
    assert topic.model_version == "topics-default-4"


def _mismatched_model(var_dir: Path, version: str) -> Path:
    """A newest model whose two files do not belong together (the head of one training beside the weights of
    another): it loads, and the topic step fails on every message not excluded."""
    target = _installation_model(var_dir, version)
    with gzip.open(target / "model.json.gz", "rt", encoding="utf-8") as fh:
        head = json.load(fh)
    head["classes"] = []
    with gzip.open(target / "model.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(head, fh, ensure_ascii=False)
    return target


def _hints(client: Client, message: Message) -> str:
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = inbox[inbox.index(f'data-message="{message.pk}"') :]
    return row[row.index('data-testid="hints"') : row.index("</tr>")]


def test_a_message_the_analysis_fails_on_is_moderated_marked_and_analysed_again_later(
    var_dir: Path, django_capture_on_commit_callbacks: Any, client: Client, personas: Personas
) -> None:
    """An analyser that fails on a message (here a model whose files do not match) neither undoes its moderation
    (R-10) nor stops the rest of the page, nor leaves it silently unanalysed: the inbox says «анализ не
    выполнен» with when it is tried again (R-8.1), and the next attempt, once the model is mended, annotates it."""
    mismatched = _mismatched_model(var_dir, "topics-installation-20991231030000")
    ordinary, abusive, another = _ingest(
        django_capture_on_commit_callbacks,
        "В Луге на улице Мира яма",
        "Глава района — мразь, бл@ть",
        "Во дворе не вывозят мусор",
        prefix="1_4",
    )
    _run_worker()
    assert is_blocked(abusive)
    for message in (ordinary, another):  # the first failure did not stop the page
        assert not is_blocked(message)
        assert Suggestion.objects.filter(message=message, kind=Kind.MODERATION).exists()
        assert not Suggestion.objects.filter(message=message, kind=Kind.TOPIC).exists()
    client.force_login(personas.curator)
    hints = _hints(client, ordinary)
    assert "анализ не выполнен: модерация выполнена" in hints and "повторная попытка в" in hints
    assert "нет подсказок" not in hints
    [retry] = DBTaskResult.objects.filter(task_path__endswith="annotate_messages_task", status="READY")
    assert retry.run_after is not None and retry.run_after > timezone.now()
    assert expand_ids(retry.args_kwargs["args"][0]) == [ordinary.pk, another.pk]  # one task for the page

    shutil.rmtree(mismatched)  # the operator deletes the bad model (or the next training replaces it)
    _run_worker()  # the retry, when it is due
    topic = Suggestion.objects.get(message=ordinary, kind=Kind.TOPIC)
    assert topic.model_version == "topics-default-4"
    hints = _hints(client, ordinary)
    assert "анализ не выполнен" not in hints and "Тема:" in hints


def test_a_model_is_stored_whole_or_not_at_all(var_dir: Path) -> None:
    """The training writes the model beside its place and renames it there once complete: a model being written
    (or left by a killed training) is never taken for the newest, and a model saved again replaces the old whole."""
    from otklik.analysis.linear import LinearTextModel
    from otklik.analysis.topics import installation_models, topic_model

    model = topic_model()
    target = var_dir / "models" / "topics-installation-20991231030000"
    model.save(target)
    assert [p.name for p in installation_models()] == [target.name]
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".part")]
    left = target.parent / ".topics-installation-20991231040000.1-ab.part"  # a killed training's
    shutil.copytree(target, left)
    assert [p.name for p in installation_models()] == [target.name]
    model.save(target)  # again, over the stored one
    assert LinearTextModel.load(target).version == model.version
    with pytest.raises(OSError) as refused:
        model.save(var_dir / "models" / "topics-installation-20991231030000" / "weights.npz" / "m")
    assert refused.value.filename == str(target / "weights.npz" / "m")
