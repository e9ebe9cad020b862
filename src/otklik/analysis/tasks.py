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


@task()
def annotate_messages_task(message_ids: list[int]) -> int:
    """Annotate a page of new messages (one task per ingested page, not per message); a message deleted
    meanwhile is skipped. Returns the number of suggestions stored."""
    from otklik.intake.models import Message

    from .pipeline import annotate_message

    stored = 0
    for message in Message.objects.select_related("source", "post").filter(pk__in=message_ids).order_by("pk"):
        stored += len(annotate_message(message))
    return stored


@task()
def retrain_topics_task() -> dict[str, Any]:
    """Periodic retraining from curators' confirmed topics (schedule it, e.g. nightly, with the worker's cron)."""
    from .training import train_installation_model

    bundle = train_installation_model()
    return {"version": bundle["version"], "examples": bundle["examples"], "confirmed": bundle["confirmed"]}
