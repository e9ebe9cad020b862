"""Background tasks (django-tasks): annotate each new message; retrain the topic model periodically."""

from __future__ import annotations

import json
import logging
import shutil
import time
from pathlib import Path
from typing import Any

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def annotate_message_task(message_id: int) -> int:
    """Annotate one message; returns the number of suggestions stored."""
    from otklik.intake.models import Message

    from .pipeline import annotate_message
    from .topics import refresh_topic_model

    message = Message.objects.select_related("source").get(pk=message_id)
    refresh_topic_model()  # the training worker may have stored a newer model
    return len(annotate_message(message))


def compress_ids(ids: list[int]) -> list[int | list[int]]:
    """Runs of consecutive ids as ``[first, last]`` (a page of new messages is mostly one run): the task's
    arguments stay short, and django-tasks checks them element by element."""
    out: list[int | list[int]] = []
    for pk in sorted(set(ids)):
        last = out[-1] if out else None
        if isinstance(last, list) and last[1] == pk - 1:
            last[1] = pk
        elif isinstance(last, int) and last == pk - 1:
            out[-1] = [last, pk]
        else:
            out.append(pk)
    return out


def expand_ids(items: list[int | list[int]]) -> list[int]:
    """The ids that ``compress_ids`` wrote (plain ids pass through)."""
    out: list[int] = []
    for item in items:
        if isinstance(item, list):
            out.extend(range(int(item[0]), int(item[1]) + 1))
        else:
            out.append(int(item))
    return out


@task()
def annotate_messages_task(message_ids: list[int | list[int]], attempt: int = 0) -> int:
    """Annotate a page of new messages (one task per ingested page, not per message); ``message_ids`` as
    ``compress_ids`` writes them. A message deleted meanwhile is skipped. Returns the number of suggestions
    stored.

    A message the analysis fails on does not stop the page: it is marked and analysed again later (`failures`;
    ``attempt``: how many times this page's messages could not even be marked)."""
    from otklik.intake.models import Message

    from .failures import schedule_retries
    from .models import Kind
    from .pipeline import annotate_message
    from .topics import refresh_topic_model

    ids = expand_ids(message_ids)
    refresh_topic_model()  # once a page: the training worker may have stored a newer model since the last one
    stored = 0
    marks: list[Any] = []
    unmarked: list[int] = []
    for message in Message.objects.select_related("source", "post").filter(pk__in=ids).order_by("pk"):
        try:
            rows = annotate_message(message, retry=False)  # retried below, one task for the page's failures
        except Exception:
            log.exception(
                "analysis: message %s: the failure of its analysis could not be recorded", message.pk
            )
            unmarked.append(message.pk)
            continue
        stored += len(rows)
        marks += [row for row in rows if row.kind == Kind.ANALYSIS]
    if marks or unmarked:
        schedule_retries(marks, unmarked, attempt)
    return stored


# What the newest installation model was trained on (the curators' topic decisions as they stood then), kept
# beside its weights so that a periodic run with nothing new to learn does not train (and store) another copy.
TRAINED_ON = "trained_on.json"
# Installation models kept under var/models (the newest is used; the older ones only for a look back).
KEEP_MODELS = 3


def _topic_decisions() -> dict[str, int]:
    from django.db.models import Count, Max

    from .models import Decision, Kind

    seen = Decision.objects.filter(kind=Kind.TOPIC).aggregate(count=Count("pk"), last=Max("pk"))
    return {"count": seen["count"] or 0, "last": seen["last"] or 0}


def _trained_on(model_dir: Path) -> dict[str, int] | None:
    try:
        data = json.loads((model_dir / TRAINED_ON).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@task(queue_name="training")  # its own worker: a training never holds back the analysis of new messages
def retrain_topics_task() -> dict[str, Any]:
    """Periodic retraining from curators' confirmed topics (the clock runs it weekly, and once when it starts).

    Idempotent: when the newest installation model was trained on the decisions there are now, nothing is trained
    (a restart of the clock costs the worker nothing and adds no model); after a training only the newest
    ``KEEP_MODELS`` installation models stay in var/models."""
    from .topics import installation_models, models_dir
    from .training import train_installation_model

    decisions = _topic_decisions()
    models = installation_models()
    if models and _trained_on(models[-1]) == decisions:
        log.info(
            "topic model %s is up to date (%d topic decisions): not retrained",
            models[-1].name,
            decisions["count"],
        )
        return {"version": models[-1].name, "retrained": False}
    bundle = train_installation_model()
    (models_dir() / bundle["version"] / TRAINED_ON).write_text(json.dumps(decisions), "utf-8")
    for old in installation_models()[:-KEEP_MODELS]:
        shutil.rmtree(old, ignore_errors=True)
    for left in models_dir().glob(".topics-installation-*.part"):
        # what a training killed while writing left (`LinearTextModel.save`); one being written is younger
        if time.time() - left.stat().st_mtime > 24 * 3600:
            shutil.rmtree(left, ignore_errors=True)
    return {
        "version": bundle["version"],
        "examples": bundle["examples"],
        "confirmed": bundle["confirmed"],
        "retrained": True,
    }
