"""Delivering a network's message as its connector does, and running the analysis as the worker does."""

from __future__ import annotations

from typing import Any

from django_tasks_db.models import DBTaskResult

from otklik.analysis.tasks import annotate_messages_task
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage


def run_queued_analysis(done: set[int]) -> None:
    """What the worker does: run each queued `annotate_messages_task` once (`done`: the tasks run already)."""
    for row in DBTaskResult.objects.filter(task_path__endswith="annotate_messages_task").order_by("id"):
        if row.pk not in done:
            done.add(row.pk)
            annotate_messages_task.call(*row.args_kwargs["args"])


def deliver_vk_comment(text: str, revision: int, capture: Any, *, author: str, author_name: str) -> Message:
    """A VK comment (`-1_5_<author>`) delivered, or delivered again as edited (a later `revision`), through the
    intake pipeline; the analysis it enqueues runs on commit only as far as `capture` executes it."""
    external_id = f"-1_5_{author}"
    with capture(execute=True):
        upsert(
            [
                ParsedMessage(
                    network="vk",
                    external_id=external_id,
                    text_raw=text,
                    author_id=author,
                    author_name=author_name,
                    revision=revision,
                )
            ]
        )
    return Message.objects.get(external_id=external_id)
