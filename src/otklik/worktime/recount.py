"""Open deadlines follow a change of the production calendar or of a body's schedule (working time, R-8.2 … R-8.9).

A deadline is stored as a moment (`cases.Deadline.due_at`) computed when it opened. When an administrator then
corrects the calendar — a late Government decree moves a holiday, the Governor declares a regional day off, the
real next year replaces the provisional one — the open deadlines are counted again from their start on the new
calendar: the same working minutes (R-8.8: the same number of working days), so nobody is held to a moment that
fell on a day off, nor given a day that has become working; a term still running keeps at least the working time
it had left when the change was saved (a correction of a day already past takes nothing from it). The case's
timeline says what moved and why. Deadlines already met, cancelled or recorded as violated are history and stay as
they were.

A body's new hours are a change from a moment on, not a correction of the past (`move_body_deadlines`, on every
save that changes the schedule: the admin, a script): the working time of an open deadline that already went by
stays counted by the hours in force then, and only what is left of it is counted by the new hours from the change
(`WorkTime(..., earlier=…)`, as `service.worktime_then` counts the past), so a change never puts a deadline before
the moment it was saved. A calendar correction counts each moment by the body's hours in force at that moment too.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .calendar import ProductionCalendar
from .engine import WorkTime
from .service import _key, _worktime_then, schedule_history, schedule_of, working_calendar, worktime_then

log = logging.getLogger(__name__)

ACTION = "calendar_changed"

# Sent by `move_other_moments` (the calendar admin calls it after `move_open_deadlines`), for the moments counted on
# the calendar that are not deadlines (the checks under the Governor's posts, R-7.4): `old_engine(body)` is the engine the moments
# were counted on, `reason` what changed, `now` when. A receiver moves its moments on the current calendar and
# returns how many moved.
calendar_changed = Signal()


# the stages whose deadline is never due after the answer's own deadline, or the final answer's, of
# the same assignment: opened with `cases.sla.open_deadline(not_after=…)` by `cases.actions`
CAPPED = ("draft", "part", "compose")


def move_open_deadlines(before: ProductionCalendar, reason: str, now: datetime | None = None) -> int:
    """Count every open deadline again on the current calendar (`before`: the calendar it was counted on);
    return how many moved. What else is counted on the calendar follows with `move_other_moments`."""
    then: dict[int | None, WorkTime] = {}  # the body's hours then, read once for both engines

    def engine_then(body: Any) -> WorkTime:
        key = getattr(body, "pk", None)
        if key not in then:
            then[key] = worktime_then(body)
        return then[key]

    def old_engine(body: Any) -> WorkTime:
        return WorkTime(before, schedule_of(body), engine_then(body).earlier)

    why = f"изменён производственный календарь ({reason})"
    return _move(None, before, old_engine, why, now, new_engine=engine_then)


def move_other_moments(before: ProductionCalendar, reason: str, now: datetime | None = None) -> int:
    """Move what else is counted on the calendar (`calendar_changed`'s receivers) after a change from `before`;
    return how many moments moved."""
    now = now or timezone.now()

    def old_engine(body: Any) -> WorkTime:
        return WorkTime(before, schedule_of(body), worktime_then(body).earlier)

    why = f"изменён производственный календарь ({reason})"
    replies = calendar_changed.send(sender=ProductionCalendar, old_engine=old_engine, reason=why, now=now)
    return sum(int(moved or 0) for _, moved in replies)


def move_body_deadlines(
    body: Any, schedule_before: dict[str, Any] | None, now: datetime | None = None
) -> int:
    """Move the body's open deadlines to its new schedule (`body.schedule`, in force from `now`; `schedule_before`:
    the one in force until then): the working time each had used by `now` stays counted by the hours then in force,
    what is left is counted by the new hours from `now` on. Returns how many moved. Called for every save of a body
    that changes its schedule (`worktime.signals`), with the moment `keep_earlier` recorded."""
    now = now or timezone.now()
    calendar = working_calendar()
    history = tuple(schedule_history([body.pk], before=now).get(body.pk, ()))
    try:
        old = _worktime_then(calendar, _key(schedule_before), history)
    except ValueError as exc:  # a schedule stored without the form's check: nothing to count from
        log.error(
            "deadlines of body %s not recounted after its schedule changed: the old one %s", body.pk, exc
        )
        return 0
    try:
        new = _worktime_then(calendar, _key(body.schedule), (*history, (now, _key(schedule_before))))
    except ValueError as exc:
        log.error(
            "deadlines of body %s not recounted after its schedule changed: the new one %s", body.pk, exc
        )
        return 0
    return _move(
        body,
        calendar,
        lambda _: old,
        f"изменён график работы органа «{body}»",
        now,
        new_engine=lambda _: new,
        how="рабочее время до изменения считается по прежнему графику, оставшееся — по новому с момента изменения",
    )


@transaction.atomic
def _move(
    body: Any,
    before: ProductionCalendar,
    old_engine: Callable[[Any], WorkTime],
    why: str,
    now: datetime | None,
    *,
    new_engine: Callable[[Any], WorkTime] = worktime_then,
    how: str = "рабочее время считается от того же начала",
) -> int:
    """Count the open deadlines (of `body`, or all when None) again by `new_engine(deadline.body)` from the
    same start and the same working time as `old_engine(deadline.body)` gives them on `before`; a stage that is
    never due after the answer's deadline stays no later than that deadline's new due time. Moves the reminders,
    writes the case's history; returns how many moved."""
    from otklik.cases.sla import reminder_fractions

    deadline_model = apps.get_model("cases", "Deadline")
    event_model = apps.get_model("cases", "CaseEvent")
    now = now or timezone.now()
    moved = 0
    counted_on: dict[int | None, WorkTime] = {}  # the old engine per body (building one takes milliseconds)
    counted_now: dict[int | None, WorkTime] = {}  # the new one (`worktime_then` asks the database)
    open_ = deadline_model.objects.filter(
        met_at__isnull=True, cancelled_at__isnull=True, breached_at__isnull=True
    )
    if body is not None:
        open_ = open_.filter(body_id=body.pk)
    rows = list(open_.select_related("body").select_for_update(of=("self",)).order_by("pk"))
    caps: dict[tuple[int, int | None], datetime] = {}  # (case, assignment) → the answer's new due time
    # the answer's own and, after an interim answer, the final answer's: both bound the draft
    bounds = (deadline_model.Stage.OVERALL, deadline_model.Stage.FINAL)
    for deadline in sorted(rows, key=lambda d: (d.stage not in bounds, d.pk)):  # the answer's own first
        if deadline.body_id not in counted_now:
            counted_now[deadline.body_id] = new_engine(deadline.body)
        new = counted_now[deadline.body_id]
        if deadline.body_id not in counted_on:
            counted_on[deadline.body_id] = old_engine(deadline.body)
        old = counted_on[deadline.body_id]
        start = deadline.started_at
        held = deadline.held_length
        try:
            if (
                held is not None
            ):  # held at the end of the calendar: its full length, if the calendar has it now
                final = deadline.stage == deadline_model.Stage.FINAL
                due = new.add_working_days(start, held) if final else new.add(start, held)
            elif deadline.stage == deadline_model.Stage.FINAL:  # working days, not minutes
                # the days the old engine counted to it (the body's working days, not the calendar's alone)
                due = new.add_working_days(start, max(old.working_days_between(start, deadline.due_at), 1))
            else:
                due = new.add(start, old.between(start, deadline.due_at))
            if held is None and deadline.due_at > now:
                # a term still running is never put before the change, nor shortened by time already gone: a
                # correction of a day already past (a working Saturday entered on the Monday) takes nothing from
                # it; the working time it had left, counted from now on the new calendar, is its least — for
                # R-8.8's working days, the days it had left after today (the close of its last day by the new
                # hours), or on its last day the minutes left once that day's new close has gone
                if deadline.stage != deadline_model.Stage.FINAL:
                    due = max(due, new.add(now, old.between(now, deadline.due_at)))
                elif (days_left := old.working_days_between(now, deadline.due_at)) >= 1:
                    due = max(due, new.add_working_days(now, days_left))
                elif due <= now:
                    due = max(due, new.add(now, old.between(now, deadline.due_at)))
        except ValueError as exc:  # outside every loaded year: leave it as it was, and say so
            if held is None:
                log.error("deadline %s not recounted (%s): %s", deadline.pk, why, exc)
            else:
                log.info("deadline %s still held at the calendar's end (%s): %s", deadline.pk, why, exc)
            continue
        key = (deadline.case_id, deadline.assignment_id)
        if deadline.stage in bounds:
            caps[key] = min(caps.get(key, due), due)
        elif deadline.stage in CAPPED and key in caps and caps[key] < due:
            due = caps[key]
        if due == deadline.due_at and held is None:
            continue
        total = max(new.between(start, due), 0)
        fractions = reminder_fractions()
        remind, level = deadline.next_reminder_at, deadline.reminder_level
        if held is not None and deadline.stage not in deadline_model.WINDOWS:
            # a held term had no reminders: the first one still ahead of now
            remind = None
            while level < len(fractions) and total > 0:
                remind = new.add(start, math.ceil(total * fractions[level]))
                if remind > now:
                    break
                level, remind = level + 1, None
        elif remind is not None and level < len(fractions) and total > 0:
            remind = new.add(start, math.ceil(total * fractions[level]))
        deadline_model.objects.filter(pk=deadline.pk).update(
            due_at=due, working_minutes=total, next_reminder_at=remind, reminder_level=level, held_length=None
        )
        was, will = timezone.localtime(deadline.due_at), timezone.localtime(due)
        if held is None:
            said = f"перенесён с {was:%d.%m.%Y %H:%M} на {will:%d.%m.%Y %H:%M}: {why}; {how}"
        else:
            said = (
                f"посчитан полностью — {will:%d.%m.%Y %H:%M} (был установлен на последний рабочий момент прежнего "
                f"календаря, {was:%d.%m.%Y %H:%M}): {why}"
            )
        # as `cases.sla` says it of a term opened into that year
        if will.year in new.calendar.provisional_years:
            said += (
                f"; рассчитан предварительно: производственный календарь на {will.year} год не загружен, учтены "
                "праздники по ст. 112 Трудового кодекса, но не переносы выходных; когда календарь добавят, срок "
                "будет пересчитан"
            )
        event_model.objects.create(
            case_id=deadline.case_id,
            at=now,
            action=ACTION,
            reason=f"Срок «{deadline.get_stage_display()}» {said}.",
        )
        log.info(
            "deadline %s of case %s moved from %s to %s: %s", deadline.pk, deadline.case_id, was, will, why
        )
        moved += 1
    return moved
