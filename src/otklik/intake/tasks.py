"""Background tasks of intake (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_outbox(outbox_id: int) -> str:
    """Publish one answer from the outbox (R-8.7); retries are scheduled by :func:`outbox.send`."""
    from .outbox import send

    return send(outbox_id).state


@task()
def ingest_source(source_id: int) -> str:
    """Read one source from its cursor."""
    from .models import Source
    from .pipeline import run_source

    report = run_source(Source.objects.get(pk=source_id))
    return f"{report.created} new, {report.updated} updated, {report.quarantined} quarantined {report.error}".strip()


@task()
def download_attachments(message_ids: list[int]) -> int:
    """Copy the photos and videos of new messages (see :mod:`otklik.intake.attachments`)."""
    from .attachments import download

    return sum(download(pk) for pk in message_ids)
