"""A body's schedule is working time as much as the calendar is: every save of a body that changes its schedule
(the admin's «Органы», a script, a shell) keeps the hours it replaces with the moment they stopped
(`models.BodySchedule`: what happened before the change is counted by them for ever, `service.worktime_then`) and
moves the body's open deadlines: what is left of each is counted by the new hours from the change
(`recount.move_body_deadlines`). A
`QuerySet.update()` sends no signal: it neither keeps the old hours nor moves anything."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .recount import move_body_deadlines

_NOT_READ = object()


def remember_schedule(
    sender: Any, instance: Any, raw: bool = False, update_fields: Any = None, **_: Any
) -> None:
    """Before the save: the schedule the body's open deadlines were counted by (one query)."""
    if raw or instance.pk is None or (update_fields is not None and "schedule" not in update_fields):
        instance._schedule_before = _NOT_READ
        return
    found = list(sender._default_manager.filter(pk=instance.pk).values_list("schedule", flat=True)[:1])
    instance._schedule_before = found[0] if found else _NOT_READ


def follow_schedule(sender: Any, instance: Any, created: bool = False, raw: bool = False, **_: Any) -> None:
    """After the save: a changed schedule is kept as the body's earlier one up to now, and moves the open
    deadlines; `instance.deadlines_moved` says how many (the admin tells the administrator)."""
    before = instance.__dict__.pop("_schedule_before", _NOT_READ)
    instance.deadlines_moved = 0
    if created or raw or before is _NOT_READ or (before or None) == (instance.schedule or None):
        return
    now = timezone.now()
    keep_earlier(instance, before, now)
    instance.deadlines_moved = move_body_deadlines(instance, before, now)


def keep_earlier(body: Any, schedule: Any, until: Any) -> None:
    """Record that `body` worked by `schedule` up to `until` (from the end of the schedule kept before it)."""
    from .models import BodySchedule

    since = (
        BodySchedule.objects.filter(body_id=body.pk)
        .order_by("-valid_until", "-id")
        .values_list("valid_until", flat=True)
        .first()
    )
    BodySchedule.objects.create(
        body_id=body.pk,
        schedule=schedule or None,
        valid_from=since,
        valid_until=max(until, since) if since is not None else until,
    )
