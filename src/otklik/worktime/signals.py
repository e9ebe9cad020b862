"""A body's schedule is working time as much as the calendar is: every save of a body that changes its schedule
(the admin's «Органы», a script, a shell) moves the body's open deadlines to their place by the new hours
(`recount.move_body_deadlines`). A `QuerySet.update()` sends no signal and moves nothing."""

from __future__ import annotations

from typing import Any

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
    """After the save: a changed schedule moves the open deadlines; `instance.deadlines_moved` says how many (the
    admin tells the administrator)."""
    before = instance.__dict__.pop("_schedule_before", _NOT_READ)
    instance.deadlines_moved = 0
    if created or raw or before is _NOT_READ or (before or None) == (instance.schedule or None):
        return
    instance.deadlines_moved = move_body_deadlines(instance, before)
