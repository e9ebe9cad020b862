"""Background tasks (django-tasks): annotate each new message; retrain the topic model periodically."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def annotate_message_task(message_id: int) -> int:
    """Annotate one message; returns the number of suggestions stored."""
    from otklik.intake.models import Message

    from .pipeline import annotate_message

    message = Message.objects.select_related("source").get(pk=message_id)
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
def annotate_messages_task(message_ids: list[int | list[int]]) -> int:
    """Annotate a page of new messages (one task per ingested page, not per message); ``message_ids`` as
    ``compress_ids`` writes them. A message deleted meanwhile is skipped. Returns the number of suggestions
    stored."""
    from otklik.intake.models import Message

    from .pipeline import annotate_message

    ids = expand_ids(message_ids)
    stored = 0
    for message in Message.objects.select_related("source", "post").filter(pk__in=ids).order_by("pk"):
        stored += len(annotate_message(message))
    return stored


@task()
def retrain_topics_task() -> dict[str, Any]:
    """Periodic retraining from curators' confirmed topics (schedule it, e.g. nightly, with the worker's cron)."""
    from .training import train_installation_model

    bundle = train_installation_model()
    return {"version": bundle["version"], "examples": bundle["examples"], "confirmed": bundle["confirmed"]}
