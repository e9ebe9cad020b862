"""Deadlines as rows (R-8.2 … R-8.9) and the sweep that turns missed ones into violations (R-12).

Every due time comes from the body's working time (`worktime_then(body)`: the hours in force at each moment) and
the policy table; nothing adds wall-clock hours. The sweep changes a row only with a conditional update
(`... WHERE breached_at IS NULL`) and acts only when exactly one row changed, so two sweepers running at once never
record the same violation twice.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from otklik.org.duty import DutyReason, absent_ids, body_duty, moved_ids, on_duty
from otklik.org.models import Absence, Body, Person, Role
from otklik.web.numbers import hours_minutes
from otklik.worktime.calendar import CalendarRangeError
from otklik.worktime.engine import WorkTime
from otklik.worktime.service import ADD_YEAR_WHERE, missing_year, worktime_then

from . import policy
from .models import OPEN_DEADLINE, Assignment, Case, CaseEvent, Deadline, Draft, Notification, Violation
from .notify import curator_duty, curators_for, curators_instead_of, notify

log = logging.getLogger(__name__)

DEFAULT_REMINDER_FRACTIONS = (0.5, 0.8)

# Set by `hold_past_calendar`: `open_deadline` holds a term past the calendar at its end instead of raising.
HOLD_PAST_CALENDAR: ContextVar[bool] = ContextVar("hold_past_calendar", default=False)


@contextmanager
def hold_past_calendar() -> Iterator[None]:
    """Within: a deadline past the production calendar is opened due at its last working moment, said in the log,
    the case's timeline and to the curators (`open_deadline`), for work already done that cannot be refused."""
    token = HOLD_PAST_CALENDAR.set(True)
    try:
        yield
    finally:
        HOLD_PAST_CALENDAR.reset(token)


def reminder_fractions() -> tuple[float, ...]:
    """When to remind the responsible person, as fractions of the deadline's working time (settings)."""
    values = getattr(settings, "OTKLIK_REMINDER_FRACTIONS", DEFAULT_REMINDER_FRACTIONS)
    return tuple(sorted(float(v) for v in values if 0 < float(v) < 1))


def _reminder_at(wt: WorkTime, started: datetime, total: int, level: int) -> datetime | None:
    fractions = reminder_fractions()
    if level >= len(fractions) or total <= 0:
        return None
    return wt.add(started, math.ceil(total * fractions[level]))


def _next_reminder(
    wt: WorkTime, started: datetime, total: int, level: int, now: datetime
) -> tuple[int, datetime | None]:
    """The first reminder level from `level` on whose moment is still ahead of `now`, and that moment."""
    at = _reminder_at(wt, started, total, level)
    while at is not None and at <= now:
        level += 1
        at = _reminder_at(wt, started, total, level)
    return level, at


def open_deadline(
    case: Case,
    stage: Deadline.Stage,
    started_at: datetime,
    *,
    responsible: Person | None,
    body: Body | None,
    policy_key: str,
    assignment: Assignment | None = None,
    draft: Draft | None = None,
    override_minutes: int | None = None,
    not_after: datetime | None = None,
) -> Deadline:
    """Open a deadline of `stage` whose length is the policy value `policy_key` in the body's working time, due
    no later than `not_after` when given (a stage of the work is never due after the whole of it).

    A term that runs past the last year the calendar can count (`CalendarRangeError`: the year after the
    provisional one) refuses a person's action (a page in Russian, `web.middleware.CalendarRangeMiddleware`), but
    never fails what cannot be undone (`hold_past_calendar`: a publication the worker already made): it is opened due at the calendar's last working moment (`_held_at_calendar_end`), with an ERROR
    in the log, a note in the case's timeline naming the year to load, and the curators told.

    Counted by the hours the body worked by at each moment (`worktime_then`): a term that starts in the past (a
    question under the Governor's post counts from the post) counts the time before a change of the body's hours
    by the hours then in force, as the recount does (`worktime.recount`)."""
    wt = worktime_then(body)
    held = False
    in_days = override_minutes is None and policy.DEFAULTS[policy_key].unit == "days"
    if override_minutes is not None:
        length = override_minutes
    else:
        length = policy.working_days(policy_key) if in_days else policy.minutes(policy_key)
    try:
        due = wt.add_working_days(started_at, length) if in_days else wt.add(started_at, length)
    except CalendarRangeError as exc:
        if not HOLD_PAST_CALENDAR.get():  # a person's action: refused with a page (`web.middleware`)
            raise
        due = max(wt.last_working_moment(), started_at)
        held = not_after is None or not_after >= due  # else its answer's deadline bounds it, as always
        if held:
            _held_at_calendar_end(case, stage, wt, started_at, due, exc)
    if not_after is not None and not_after < due:
        due = not_after
    try:
        total = max(wt.between(started_at, due), 0)
    except CalendarRangeError:  # the start itself is past the calendar
        total = 0
    _say_if_provisional(case, stage, wt, started_at, due)
    return Deadline.objects.create(
        case=case,
        assignment=assignment,
        draft=draft,
        stage=stage,
        rid=Deadline.RID[stage],
        responsible=responsible,
        body=body,
        started_at=started_at,
        due_at=due,
        working_minutes=total,
        held_length=length if held else None,
        next_reminder_at=None
        if stage in Deadline.WINDOWS or held
        else _reminder_at(wt, started_at, total, 0),
    )


def _held_at_calendar_end(
    case: Case, stage: Deadline.Stage, wt: WorkTime, started_at: datetime, due: datetime, exc: Exception
) -> None:
    """Say that a deadline could not be counted to its end (`open_deadline`): in the log (ERROR), in the case's
    timeline and to the curators, naming the year of the production calendar the administrator has to load."""
    year = missing_year()
    last = wt.calendar.last_year
    due_local = timezone.localtime(due)
    label = Deadline.Stage(stage).label
    log.error(
        "case %s: deadline %s from %s runs past the production calendar (ends %s): opened due at its last working "
        "moment %s; load the calendar of %s (%s)",
        case.pk,
        stage,
        started_at.isoformat(),
        last,
        due_local.isoformat(),
        year,
        exc,
    )
    reason = (
        f"Срок «{label}» выходит за пределы производственного календаря (сроки считаются только до конца "
        f"{last} года) и посчитан не полностью: установлен на последний рабочий момент календаря — {due_local:%d.%m.%Y %H:%M}. "
        f"Администратору нужно загрузить производственный календарь на {year} год: {ADD_YEAR_WHERE}."
    )
    CaseEvent.objects.create(case=case, at=started_at, action="deadline_past_calendar", reason=reason)
    for curator in curators_for(case, started_at):
        notify(curator, case, Notification.Kind.WORK, f"Обращение № {case.pk}: {reason}"[:500], started_at)


def _say_if_provisional(
    case: Case, stage: Deadline.Stage, wt: WorkTime, started_at: datetime, due: datetime
) -> None:
    """A due time that reaches into a year whose Government calendar is not loaded was counted on the provisional
    statutory calendar (`worktime.service`): say so in the log and in the case's timeline, never silently."""
    years = wt.calendar.provisional_years
    due_local = due.astimezone(wt.tz)
    if not years or due_local.year not in years:
        return
    year = due_local.year
    log.warning(
        "case %s: deadline %s due %s was computed on the provisional %s calendar (not loaded)",
        case.pk,
        stage,
        due_local.isoformat(),
        year,
    )
    CaseEvent.objects.create(
        case=case,
        at=started_at,
        action="provisional_deadline",
        reason=(
            f"Срок «{Deadline.Stage(stage).label}» ({due_local:%d.%m.%Y %H:%M}) рассчитан предварительно: "
            f"производственный календарь на {year} год не загружен, учтены праздники по ст. 112 "
            "Трудового кодекса, но не переносы выходных, которые устанавливает Правительство. "
            f"Администратору нужно добавить календарь на {year} год; когда администратор добавит его (раздел «Годы производственного календаря»), открытые сроки будут пересчитаны по нему."
        ),
    )


def record_breach(
    deadline: Deadline,
    now: datetime,
    note: str = "",
    *,
    still_open: bool = False,
    away: set[int] | None = None,
    away_at_due: set[int] | None = None,
    sweeping: bool = False,
) -> Violation | None:
    """Mark the deadline breached once and record the violation with the person and body (R-12).

    The violation is charged to whoever had to act at the due moment (clause 12): the responsible person, or,
    when they were away then, whoever did their work (`_answerable`), with a note saying whose work it was.

    `still_open` (the sweep): only while nobody has met or cancelled it. The sweep lists overdue deadlines
    before it records them; work done in time meanwhile (e.g. a draft sent at the due moment, committed while
    the sweep waited for its row) must not become a violation; `sweeping`: the sweep itself, which leaves a total
    already charged running where the work is (`_charge_total`). `away`: who of the responsible people is absent
    now, when the caller has read it for many deadlines at once (`_on_duty_for`). `away_at_due`: likewise, the
    deadlines whose responsible person had an absence at the due moment (`_away_at_due`).

    R-8.3 with R-8.9, parts published one by one: the total carried to the last publication is charged to the body
    that held the answer up, when there is one (`_charge_total`): the violation is recorded on its deadline, a copy
    of the total, and the carrier's own deadline is met at its share again."""
    held_note = ""
    if deadline.stage == Deadline.Stage.OVERALL:
        with transaction.atomic():
            charged, held_note = _charge_total(deadline, now, still_open=still_open, sweeping=sweeping)
        if charged is None:
            return None
        if charged.pk != deadline.pk:
            deadline, note = charged, f"{note}. {held_note}" if note else held_note
            away = away_at_due = None  # read for the sweep's own rows, not for the copy's person
            # the copy is new, made under the case's lock: it may be closed already (the late body's part is out)
            still_open = False
    rows = Deadline.objects.filter(pk=deadline.pk, breached_at__isnull=True)
    if still_open:
        rows = rows.filter(OPEN_DEADLINE)
    changed = rows.update(breached_at=now)
    if changed != 1:
        return None
    deadline.breached_at = now
    person, why = _answerable(deadline, away_at_due)
    violation = Violation.objects.create(
        deadline=deadline,
        case_id=deadline.case_id,
        stage=deadline.stage,
        rid=deadline.rid,
        person=person,
        body=deadline.body,
        due_at=deadline.due_at,
        detected_at=now,
        note=". ".join(part for part in (note, why) if part)[:500],
    )
    case = deadline.case
    due = timezone.localtime(deadline.due_at)
    text = (
        f"Нарушен срок по обращению № {case.pk}: {deadline.get_stage_display()}, "
        f"срок {due:%d.%m.%Y %H:%M}; ответственный: {deadline.responsible or deadline.body or '—'}."
    )
    if held_note:
        text += f" {held_note}."
    if why:
        nobody = "" if curators_work(deadline) else ": сотрудника на месте не было"
        whom = f"на {person}" if person is not None else f"только на орган{nobody}"
        text += f" Нарушение записано {whom}. {why}."
    curators = curators_for(case, now)
    for curator in curators:
        notify(curator, case, Notification.Kind.BREACH, text, now, deadline)
    for recipient, why in told_about(deadline, now, away):
        if recipient not in curators:
            notify(recipient, case, Notification.Kind.BREACH, text + why, now, deadline)
    return violation


@dataclass
class HeldUp:
    """Who held the answer up when its total ran out (`_held_up_by`): the body, the person its late work was set
    for, its working minutes over its own terms by then, and the sentence saying so."""

    body: Body
    responsible: Person | None
    minutes: int
    note: str


# a body's own terms on its part once the parts go to review one by one: the revision and the publication
_PART_TERMS = (Deadline.Stage.REVISE, Deadline.Stage.PUBLISH)
_PART_TERM_WORDS: dict[str, str] = {Deadline.Stage.REVISE: "доработка", Deadline.Stage.PUBLISH: "публикация"}


def _held_up_by(total: Deadline, carried_from: datetime) -> HeldUp | None:
    """R-8.3 with R-8.9, parts published one by one: the body that held the answer up when the total ran out.

    Once all parts are in, the total (the latest of the bodies' terms) is carried by the executor of the body whose
    part is published last (`actions._carry_parts_overall`), and every step until then has a term of its own: the
    curator's review (R-8.5), each body's revision (R-8.6) and publication (R-8.7) of its part. A body that kept its
    own terms must not be charged for the time another body took over its own (R-8.9: «a body is not charged for the
    time the others took»; clause 12: the person who broke the regulation is the one found). So, measured up to the
    total's due moment (what happened after it could not have saved it) and from the moment the total was carried,
    in working time by the hours each body worked by then: the body whose part's revision or publication ran over
    its own term the longest answers for the total — when that is not the carrier's own body (over longer than the
    carrier's own overrun). None when no other body ran over: the carrier answers, as for the curator's late review
    (her R-8.5 is recorded on her; the 8.3 term is the executors', and no executive body held the answer up).
    `carried_from`: when the total was carried (`_carried_from`)."""
    over: dict[int, int] = {}
    worst: dict[int, tuple[int, Deadline]] = {}
    for d in Deadline.objects.filter(
        case_id=total.case_id,
        stage__in=_PART_TERMS,
        draft__kind=Draft.Kind.PART,
        body__isnull=False,
        due_at__lt=total.due_at,
    ).select_related("body", "responsible", "assignment__executor"):
        begin = max(d.due_at, carried_from)
        end = min(d.met_at or d.cancelled_at or total.due_at, total.due_at)
        if end <= begin:
            continue
        minutes = worktime_then(d.body).between(begin, end)
        if minutes <= 0:
            continue
        assert d.body_id is not None
        over[d.body_id] = over.get(d.body_id, 0) + minutes
        if d.body_id not in worst or minutes >= worst[d.body_id][0]:
            worst[d.body_id] = (minutes, d)
    others = {b: m for b, m in over.items() if b != total.body_id}
    if not others:
        return None
    body_id = max(others, key=lambda b: (others[b], worst[b][1].due_at))
    if others[body_id] <= over.get(total.body_id or 0, 0):
        return None  # the carrier ran over its own terms at least as long
    term = worst[body_id][1]
    assert term.body is not None
    responsible = term.responsible or (term.assignment.executor if term.assignment else None)
    due = timezone.localtime(term.due_at)
    carrier = f"исполнитель {total.responsible}; " if total.responsible else ""
    note = (
        f"Ответ задерживал орган «{term.body}»: {_PART_TERM_WORDS[term.stage]} его части опоздала "
        f"({policy.clause(term.rid)}, срок {due:%d.%m.%Y %H:%M}); к сроку ответа — на "
        f"{hours_minutes(others[body_id])} рабочего времени сверх сроков органа. Срок ответа записан на этот "
        f"орган, а не на орган «{total.body}», нёсший общий срок ({carrier}п. 8.9)"
    )
    return HeldUp(body=term.body, responsible=responsible, minutes=others[body_id], note=note)


def _carried_from(total: Deadline) -> datetime | None:
    """When an R-8.3 deadline of a case whose parts are published one by one began to be carried for the whole answer
    (all parts in, `actions._carry_parts_overall`); None for any other — a body's own term, running until its part,
    is its own whatever the others did."""
    if total.case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE:
        return None
    if (
        total.assignment_id is not None
        and not Assignment.objects.filter(
            pk=total.assignment_id, state__in=(Assignment.State.PART_SUBMITTED, Assignment.State.DONE)
        ).exists()
    ):
        return None
    return (
        CaseEvent.objects.filter(case_id=total.case_id, action="parts_complete", at__lte=total.due_at)
        .order_by("-at", "-id")
        .values_list("at", flat=True)
        .first()
    )


def _charged_copies(case_id: Any, due_at: Any) -> QuerySet[Deadline]:
    """The copies of a case's total due at `due_at` charged to the body that held the answer up (`_charge_total`);
    the arguments may be values or `OuterRef`s (the sweep's subquery)."""
    return Deadline.objects.filter(
        case_id=case_id,
        stage=Deadline.Stage.OVERALL,
        assignment__isnull=True,
        breached_at__isnull=False,
        due_at=due_at,
        case__multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE,
    )


def _charged_copy(total: Deadline) -> Deadline | None:
    """The copy of `total` already charged to the body that held the answer up (`_charge_total`), when `total` is
    the carrier's term handed back to it once that body's part was out (`hand_back_total`); None otherwise."""
    return _charged_copies(total.case_id, total.due_at).exclude(pk=total.pk).order_by("id").first()


def _parts_out(case_id: int, body: Body) -> datetime | None:
    """When `body`'s work on a case whose parts are published one by one ended: the publication of its last part,
    once every part of it is published (its assignments done, R-8.9); None while it still has one to revise or
    publish."""
    live = Assignment.objects.filter(case_id=case_id, body=body).exclude(state__in=Assignment.GONE)
    if not live.exists() or live.exclude(state=Assignment.State.DONE).exists():
        return None
    return (
        Draft.objects.filter(
            case_id=case_id, kind=Draft.Kind.PART, assignment__in=live, publication__isnull=False
        )
        .order_by("-publication__published_at")
        .values_list("publication__published_at", flat=True)
        .first()
    )


def _share(total: Deadline) -> datetime | None:
    """The carrier's share of the total: the time its body's part came in (its own term is met again then)."""
    if total.assignment_id is None:
        return None
    return (
        Draft.objects.filter(case_id=total.case_id, kind=Draft.Kind.PART, assignment_id=total.assignment_id)
        .order_by("submitted_at", "id")
        .values_list("submitted_at", flat=True)
        .first()
    )


def _charge_total(
    total: Deadline, now: datetime, *, still_open: bool, sweeping: bool = False
) -> tuple[Deadline | None, str]:
    """R-8.3 with R-8.9, parts published one by one: the deadline whose breach is recorded for the missed total, and
    the sentence saying why when it is not the total itself. When another body held the answer up
    (`_held_up_by`), the total becomes that body's deadline — a copy with the same start, due time and working
    minutes (`carry_deadline`), met when the total was (the last publication) or open until then — and the
    carrier's own deadline is met again at its share, the time of its body's part (a copy the carrier held is
    withdrawn); the timeline says who answers now and why. Where the work is: when the late body's part is out
    already and the answer still waits for the others, the copy is met at that part's publication and the carrier's
    term runs on (`hand_back_total`), settled at the last publication — met at its share again, the copy met then.

    (None, "") — nothing to record now — when the total was met, cancelled or breached meanwhile (guarded as
    `record_breach` is), or when an action holds the case (`actions._lock`): that action meets or cancels the total
    and charges it here itself, or the next sweep does. The sweep never waits for an action (its chunk holds rows an
    action may wait for); an action that locks the case after the sweep finds the total passed."""
    carried_from = _carried_from(total)
    if carried_from is None:
        return total, ""
    mine = (
        Case.objects.select_for_update(skip_locked=True).filter(pk=total.case_id).values_list("pk", flat=True)
    )
    if not list(mine):
        return None, ""
    rows = Deadline.objects.filter(pk=total.pk, breached_at__isnull=True)
    if still_open:
        rows = rows.filter(OPEN_DEADLINE)
    met_now = total.met_at
    charged = _charged_copy(total)
    if charged is not None:
        # charged already; the carrier's term ran on only to show where the work is (`hand_back_total`): the sweep
        # leaves it running, the last publication (or the end of the case) settles it as the charge did — the
        # carrier's term met at its share again, the copy met at the last publication
        if sweeping:
            return None, ""
        share = _share(total)
        if share is not None:
            changed = rows.update(met_at=share, cancelled_at=None, next_reminder_at=None)
        else:
            changed = rows.update(met_at=None, cancelled_at=now, next_reminder_at=None)
        if changed == 1:
            total.met_at, total.cancelled_at = (share, None) if share is not None else (None, now)
            if met_now is not None:
                Deadline.objects.filter(pk=charged.pk).update(met_at=met_now, next_reminder_at=None)
        return None, ""
    held = _held_up_by(total, carried_from)
    if held is None:
        return total, ""
    # where the work is: the late body holds the total until its part is out; when it is out already and the answer
    # still waits for the others, the carrier's term runs on (it is charged here, and settled as above)
    out = _parts_out(total.case_id, held.body) if met_now is None else None
    share = _share(total)
    if out is not None:
        changed = rows.update(next_reminder_at=None)
    elif share is not None:
        changed = rows.update(met_at=share, next_reminder_at=None)
    else:
        changed = rows.update(met_at=None, cancelled_at=now, next_reminder_at=None)
    if changed != 1:
        return None, ""
    if out is None:
        total.met_at, total.cancelled_at = (share, None) if share is not None else (None, now)
    copy = carry_deadline(total, now, responsible=held.responsible, body=held.body)
    if met_now is not None or out is not None:
        # the late body's work ended with its part; a part out before the term ran out ends the body's share of
        # the missed term when it is charged (now), never «done» before the term
        done = met_now if met_now is not None else out if out is not None and out >= total.due_at else now
        Deadline.objects.filter(pk=copy.pk).update(met_at=done, next_reminder_at=None)
        copy.met_at, copy.next_reminder_at = done, None
    due = timezone.localtime(total.due_at)
    # the person the violation is recorded on (`record_breach` asks `_answerable` of the copy the same way): the
    # responsible person, or whoever did their work at the due moment (a substitute, a colleague, R-6)
    person, instead = _answerable(copy)
    who = f"{person} («{held.body}»)" if person is not None else f"орган «{held.body}»"
    CaseEvent.objects.create(
        case_id=total.case_id,
        at=now,
        action="total_held_up",
        reason=(
            f"Срок ответа (п. 8.3) до {due:%d.%m.%Y %H:%M} истёк. {held.note}. "
            + (f"{instead}. " if instead else "")
            + f"Отвечает {who}"
        ),
    )
    return copy, held.note


def hand_back_total(case: Case, body_id: int, now: datetime) -> None:
    """R-8.3 with R-8.9, parts published one by one: the body that held the answer up (`_charge_total`) has published
    its part and has nothing left to do on the case, while the answer still waits for the others' parts. The total
    charged to it is met now (its work is done: it leaves its queue and home page), and the carrier's term — met at
    its share when the total was charged — runs again where the work is, until the last publication settles it
    (`_charge_total`: met at its share again, the charged copy met at that publication). The carrier is not charged
    again: the sweep leaves a total already charged running (`sweep`). Called under the case's lock."""
    body = Body.objects.filter(pk=body_id).first()
    if body is None or _parts_out(case.pk, body) is None:
        return
    copy = (
        Deadline.objects.filter(
            OPEN_DEADLINE,
            case=case,
            stage=Deadline.Stage.OVERALL,
            assignment__isnull=True,
            body_id=body_id,
            breached_at__isnull=False,
        )
        .order_by("id")
        .first()
    )
    if copy is None:
        return
    carried = [
        d
        for d in Deadline.objects.filter(
            case=case, stage=Deadline.Stage.OVERALL, due_at=copy.due_at, breached_at__isnull=True
        )
        .exclude(OPEN_DEADLINE)
        .exclude(body_id=body_id)
        .select_related("assignment")
        if d.assignment is None or d.assignment.state not in (Assignment.State.DONE, *Assignment.GONE)
    ]
    # the carrier's: its own term (its part is published last, the last in the curator's order), or the copy it held
    carried.sort(key=lambda d: (d.assignment is None, d.assignment.order if d.assignment else 0, d.pk))
    Deadline.objects.filter(pk=copy.pk).update(met_at=now, next_reminder_at=None)
    if carried:
        Deadline.objects.filter(pk=carried[-1].pk).update(
            met_at=None, cancelled_at=None, next_reminder_at=None
        )


def curators_work(deadline: Deadline) -> bool:
    """The curators' own work, shared among those present (R-6): a review (R-8.5), or a deadline of no body's
    assignment a curator answers for (the common answer the curator composes, R-8.9)."""
    if deadline.stage == Deadline.Stage.REVIEW:
        return True
    responsible = deadline.responsible
    return deadline.assignment_id is None and responsible is not None and responsible.is_curator


def curators_doing(deadline: Deadline, at: datetime) -> tuple[list[Person], str]:
    """Who does a curators'-work deadline (`curators_work`) at `at`, with the sentence saying why when not its
    curator: a review as the case's curators share it (`curator_duty`), the composing curator's work as
    `curators_instead_of` finds (her, her substitute curator, or every curator present)."""
    if deadline.stage == Deadline.Stage.REVIEW or deadline.responsible is None:
        return curator_duty(deadline.case, at)
    return curators_instead_of(deadline.responsible, at)


def _answerable(deadline: Deadline, away_at_due: set[int] | None = None) -> tuple[Person | None, str]:
    """Who answers for the missed deadline (R-12, clause 12: the official who had to act): the person on duty
    for its responsible person at the due moment (`on_duty`: the substitute, a fallback of the body, or nobody),
    with a sentence saying whose work it was and why; the responsible person, with no sentence, when they were
    present then. With `away_at_due` (read for many deadlines at once) a present person is answered without a
    query. A deactivated account counts as away (`on_duty`), whenever it was deactivated. A deadline with nobody
    named (nobody of the body on duty when the work came) is answered for by the body's people (`_answerable_body`).
    """
    responsible = deadline.responsible
    if responsible is None:
        return _answerable_body(deadline)
    if curators_work(deadline):  # never the shortcut: she may no longer be a curator (the office's work then)
        return _answerable_curator(deadline, responsible)
    if away_at_due is not None and responsible.is_active and deadline.pk not in away_at_due:
        return responsible, ""
    duty = on_duty(responsible, deadline.due_at, body_id=deadline.body_id)
    if duty.reason is DutyReason.PRESENT:
        return responsible, ""
    due = timezone.localtime(deadline.due_at)
    return (
        duty.person,
        f"Вместо ответственного {responsible} к сроку {due:%d.%m.%Y %H:%M}: {duty.explanation}",
    )


# Who of the body `body_duty` found, in words for the violation's note
_BODY_DUTY_ROLES = {
    DutyReason.FALLBACK_EXECUTOR: "исполнитель органа",
    DutyReason.FALLBACK_RESPONSIBLE: "ответственное должностное лицо органа",
}


def _taken_by(deadline: Deadline) -> Person | None:
    """Who of the body took up the work of a deadline nobody was named for when it was opened: its assignment's
    executor (who sent its draft or part, or was given its work — `actions._take_up`, `actions.hand_to_executor`),
    else the author of the assignment's latest draft (a case taken up before `_take_up` named them); None while
    nobody has."""
    if deadline.assignment_id is None:
        return None
    executor = Assignment.objects.select_related("executor").get(pk=deadline.assignment_id).executor
    if executor is not None:
        return executor
    latest = (
        Draft.objects.filter(assignment_id=deadline.assignment_id).select_related("author").order_by("-id")
    )
    draft = latest.first()
    return draft.author if draft is not None else None


def _answerable_body(deadline: Deadline) -> tuple[Person | None, str]:
    """R-6, R-12: a deadline nobody was named for (nobody of the body was on duty when the work came) is answered
    for by the executor who took the case up since (`_taken_by`; whoever did their work at the due moment while they
    were away, `on_duty`); else by whoever of the body was on duty at the due moment, by the rule its reminders
    follow (`body_duty`, as `_on_duty_for` asks it): an executor back at work, else the responsible official —
    with a note saying so. The body only (no person) when nobody of it was on duty then either."""
    if deadline.body_id is None or curators_work(deadline):
        return None, ""
    due = timezone.localtime(deadline.due_at)
    unnamed = "Исполнитель не был назначен: при поступлении в органе никого не было на месте"
    executor = _taken_by(deadline)
    if executor is not None:
        taken = f"{unnamed}; обращение взял в работу {executor}"
        duty = on_duty(executor, deadline.due_at, body_id=deadline.body_id)
        if duty.reason is DutyReason.PRESENT:
            return executor, taken
        return duty.person, f"{taken}; вместо него к сроку {due:%d.%m.%Y %H:%M}: {duty.explanation}"
    duty = body_duty(deadline.body_id, deadline.due_at)
    if duty.person is None:
        return None, f"{unnamed}; к сроку {due:%d.%m.%Y %H:%M} на месте тоже никого не было"
    role = _BODY_DUTY_ROLES.get(duty.reason, "сотрудник органа")
    return duty.person, f"{unnamed}; к сроку {due:%d.%m.%Y %H:%M} работу выполняет {role} {duty.person}"


def _answerable_curator(deadline: Deadline, curator: Person) -> tuple[Person | None, str]:
    """R-8.5, R-12: the curator's approval is answered for as it was asked (`curator_duty`): by her when present at
    the due moment; by the curator who did her work then (the substitute named on her absence, or the only curator
    present); by nobody by name when several curators present could have approved (the office's violation)."""
    review = deadline.stage == Deadline.Stage.REVIEW
    recipients, _ = curators_doing(deadline, deadline.due_at)
    if recipients == [curator]:
        return curator, ""
    due = timezone.localtime(deadline.due_at)
    did, could = (
        ("согласовывал", "согласовать") if review else ("работу куратора выполнял", "выполнить эту работу")
    )
    gone = not (curator.is_active and curator.has_role(Role.Kind.CURATOR))
    if len(recipients) == 1:
        return recipients[0], f"Вместо куратора {curator} к сроку {due:%d.%m.%Y %H:%M} {did} {recipients[0]}"
    if gone:
        return (
            None,
            f"{curator} к сроку {due:%d.%m.%Y %H:%M} уже не куратор; {could} мог любой куратор на месте",
        )
    return None, (
        f"Куратор {curator} отсутствовал к сроку {due:%d.%m.%Y %H:%M}; {could} мог любой куратор на месте"
    )


def reopen_deadline(deadline: Deadline, now: datetime, *, responsible: Person | None) -> None:
    """Open a met deadline again, now `responsible`'s, with its start, due time and working minutes as they were
    (nothing is counted again). Its reminders resume at the next reminder moment still ahead."""
    level, at = _next_reminder(
        worktime_then(deadline.body),
        deadline.started_at,
        deadline.working_minutes,
        deadline.reminder_level,
        now,
    )
    Deadline.objects.filter(pk=deadline.pk).update(
        met_at=None, responsible=responsible, reminder_level=level, next_reminder_at=at
    )
    deadline.met_at, deadline.responsible, deadline.reminder_level = None, responsible, level
    deadline.next_reminder_at = at


def carry_deadline(
    original: Deadline,
    now: datetime,
    *,
    responsible: Person | None,
    body: Body | None,
    assignment: Assignment | None = None,
) -> Deadline:
    """A new deadline of `responsible` (and `body`) with `original`'s stage, start, due time and working minutes:
    the same limit, now carried by someone else (nothing is counted again). Reminders start at the next reminder
    moment still ahead."""
    level, at = _next_reminder(
        worktime_then(original.body), original.started_at, original.working_minutes, 0, now
    )
    return Deadline.objects.create(
        case_id=original.case_id,
        assignment=assignment,
        stage=original.stage,
        rid=original.rid,
        responsible=responsible,
        body=body,
        started_at=original.started_at,
        due_at=original.due_at,
        working_minutes=original.working_minutes,
        reminder_level=level,
        next_reminder_at=at,
    )


def finish_deadlines(
    deadlines: Sequence[Deadline],
    now: datetime,
    *,
    met: bool = True,
    late_before: datetime | None = None,
    late_note: str = "срок истёк до того, как работа была снята",
) -> None:
    """Close open deadlines: met (late ones are violations at once), or cancelled (no longer anyone's duty).

    A term cancelled after it ran out (strictly after the due moment, as the sweep counts) stays a violation
    (R-12), recorded now with `late_note` if the sweep has not yet: the work handed to another body, the case
    closed, the part refused a minute after the term must not lose it. `late_before`: only a term that ran out
    before that moment (the Governor's question whose comment the author deleted: what ran out after the deletion
    is nobody's fault). An R-8.2 window ends quietly, as the sweep ends it."""
    for d in deadlines:
        if not d.is_open:
            continue
        if met:
            # still open (read before): a deadline met or cancelled meanwhile — a total the sweep passed to the
            # body that held the answer up (`_charge_total`), met at its share — is not met, nor charged, again
            if Deadline.objects.filter(OPEN_DEADLINE, pk=d.pk).update(met_at=now, next_reminder_at=None) != 1:
                continue
            d.met_at = now
            late = now > d.due_at
            if late and d.breached_at is None:
                record_breach(d, now, note="выполнено после срока")
        else:
            ran_out = d.due_at < min(now, late_before or now)
            gone = d
            if ran_out and d.breached_at is None and d.stage not in Deadline.WINDOWS:
                violation = record_breach(d, now, note=late_note, still_open=True)
                if violation is not None and violation.deadline_id != d.pk:
                    # the total passed to the body that held the answer up (`_charge_total`): that one is withdrawn;
                    # the carrier's own was met again at its share
                    gone = violation.deadline
            if gone.is_open:
                Deadline.objects.filter(OPEN_DEADLINE, pk=gone.pk).update(
                    cancelled_at=now, next_reminder_at=None
                )
                gone.cancelled_at = now


def open_deadlines(case: Case, *stages: str, assignment: Assignment | None = None) -> list[Deadline]:
    qs = Deadline.objects.filter(OPEN_DEADLINE, case=case)
    if stages:
        qs = qs.filter(stage__in=stages)
    if assignment is not None:
        qs = qs.filter(assignment=assignment)
    return list(qs.select_related("case", "responsible", "body"))


@dataclass
class SweepReport:
    breached: int = 0
    windows_expired: int = 0
    reminders: int = 0


def sweep(now: datetime | None = None, batch: int = 1000) -> SweepReport:
    """Record violations of open deadlines that are past due, expire R-8.2 windows, send due reminders."""
    now = now or timezone.now()
    report = SweepReport()
    window_stages = list(Deadline.WINDOWS)
    # windows end quietly: only a rejection after them is a violation (recorded by the action).
    report.windows_expired = Deadline.objects.filter(
        OPEN_DEADLINE, stage__in=window_stages, due_at__lte=now
    ).update(cancelled_at=now, next_reminder_at=None)

    # Strictly after the due moment: work done AT the due moment is in time (`finish_deadlines`), so a sweep
    # that happens to run at that very moment must not record a violation.
    # a total already charged to the body that held the answer up runs on at the carrier only to show where the
    # work is (`hand_back_total`): nothing to record
    charged = _charged_copies(OuterRef("case_id"), OuterRef("due_at")).exclude(pk=OuterRef("pk"))
    due_ids = list(
        Deadline.objects.filter(OPEN_DEADLINE, due_at__lt=now, breached_at__isnull=True)
        .exclude(stage__in=window_stages)
        .exclude(Exists(charged), stage=Deadline.Stage.OVERALL)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )
    # One transaction per chunk (record_breach is guarded, so a chunk that fails is simply redone by the next
    # sweep), and one Person per curator for the whole sweep so that role checks are not repeated per breach.
    people: dict[int, Person] = {}
    for start in range(0, len(due_ids), batch):
        chunk = list(
            Deadline.objects.filter(pk__in=due_ids[start : start + batch]).select_related(
                "case", "case__dispatched_by", "responsible", "body"
            )
        )
        away = _away(chunk, now)
        away_at_due = _away_at_due(chunk)
        with transaction.atomic():
            for deadline in chunk:
                case = deadline.case
                case.dispatched_by = people.setdefault(case.dispatched_by_id, case.dispatched_by)
                if (
                    record_breach(
                        deadline, now, still_open=True, away=away, away_at_due=away_at_due, sweeping=True
                    )
                    is not None
                ):
                    report.breached += 1

    engines: dict[int | None, WorkTime] = {}  # worktime_then reads the calendar version: once per body
    remind_ids = list(
        Deadline.objects.filter(OPEN_DEADLINE, next_reminder_at__lte=now, breached_at__isnull=True)
        .order_by("next_reminder_at")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(remind_ids), batch):
        chunk = list(
            Deadline.objects.filter(pk__in=remind_ids[start : start + batch]).select_related(
                "case", "responsible", "body"
            )
        )
        away = _away(chunk, now)
        with transaction.atomic():
            for deadline in chunk:
                if _remind(deadline, now, engines, away):
                    report.reminders += 1
    return report


def _away(deadlines: list[Deadline], now: datetime) -> set[int]:
    """Who of these deadlines' responsible people is absent now, or no longer works for the body of one of their
    deadlines (their role moved to another body): `on_duty` is asked about them, the others are answered at once.
    A few queries for a sweep's chunk."""
    people = [d.responsible_id for d in deadlines if d.responsible_id is not None]
    pairs = [(d.responsible_id, d.body_id) for d in deadlines if d.responsible_id is not None and d.body_id]
    return absent_ids(people, now) | moved_ids(pairs)


def _away_at_due(deadlines: list[Deadline]) -> set[int]:
    """The deadlines whose responsible person had an absence at the deadline's due moment, or no longer works for
    the deadline's body (`moved_ids`: their role moved or was taken off — the body's people did the work, as the
    reminders and the breach notice say): `_answerable` asks `on_duty` about those only. Two queries for a
    sweep's chunk (each deadline has its own due moment)."""
    with_person = [d for d in deadlines if d.responsible_id is not None]
    if not with_person:
        return set()
    moved = moved_ids((d.responsible_id, d.body_id) for d in with_person if d.responsible_id and d.body_id)
    spans: dict[int, list[tuple[datetime, datetime]]] = {}
    for person_id, starts_at, ends_at in Absence.objects.filter(
        person_id__in={d.responsible_id for d in with_person},
        starts_at__lte=max(d.due_at for d in with_person),
        ends_at__gt=min(d.due_at for d in with_person),
    ).values_list("person_id", "starts_at", "ends_at"):
        spans.setdefault(person_id, []).append((starts_at, ends_at))
    return {
        d.pk
        for d in with_person
        if d.responsible_id in moved
        or any(starts <= d.due_at < ends for starts, ends in spans.get(d.responsible_id or 0, []))
    }


def _remind(
    deadline: Deadline,
    now: datetime,
    engines: dict[int | None, WorkTime] | None = None,
    away: set[int] | None = None,
) -> bool:
    engines = {} if engines is None else engines
    # the reminder moments count from the start by the hours in force at each moment (a body's hours changed since)
    wt = engines.get(deadline.body_id) or engines.setdefault(deadline.body_id, worktime_then(deadline.body))
    level = deadline.reminder_level
    # Skip levels whose moment has also passed (a sweep that ran late sends one reminder, not several).
    new_level = level + 1
    while True:
        nxt = _reminder_at(wt, deadline.started_at, deadline.working_minutes, new_level)
        if nxt is None or nxt > now:
            break
        new_level += 1
    # still open (OPEN_DEADLINE): the sweep listed it before the work was sent, and work sent meanwhile must not
    # be reminded of — as `record_breach(still_open=True)` does for a breach
    changed = Deadline.objects.filter(OPEN_DEADLINE, pk=deadline.pk, reminder_level=level).update(
        reminder_level=new_level, next_reminder_at=nxt
    )
    if changed != 1:
        return False
    left = wt.between(now, deadline.due_at)
    due = timezone.localtime(deadline.due_at)
    text = (
        f"Напоминание по обращению № {deadline.case_id}: {deadline.get_stage_display()} — "
        f"срок {due:%d.%m.%Y %H:%M}, осталось {left // 60} ч {left % 60:02d} мин рабочего времени."
    )
    told: set[int] = set()
    waiting = _waited_for(deadline)
    # the carrier, its own part in, is told what the answer waits for (it cannot save it itself, decision 0005)
    said = "; ".join(f"«{d.body}» — {_term_said(d)}" for d in waiting)
    for recipient, note in told_about(deadline, now, away):
        also = f" Ответ ждёт частей других органов: {said} (п. 8.9)." if said else ""
        notify(recipient, deadline.case, Notification.Kind.REMINDER, text + also + note, now, deadline)
        told.add(recipient.pk)
    for term in waiting:
        # the body the answer waits for can still save it, and answers for it if it runs out (`_held_up_by`)
        own = (
            f" Общий ответ ждёт части вашего органа ({_term_said(term)}): если срок ответа истечёт из-за неё, "
            "нарушение запишут на ваш орган (п. 8.9, п. 12)."
        )
        # not `away`: it holds the absent among the chunk's own responsible people, not this term's
        for recipient, note in told_about(term, now):
            if recipient.pk not in told:
                notify(recipient, deadline.case, Notification.Kind.REMINDER, text + own + note, now, deadline)
                told.add(recipient.pk)
    return True


def _term_said(term: Deadline) -> str:
    """«публикация части, срок 04.11.2024 12:30» (or «… истёк …») of a body's part term."""
    due = timezone.localtime(term.due_at)
    return f"{_PART_TERM_WORDS[term.stage]} части, срок {'истёк ' if term.breached_at else ''}{due:%d.%m.%Y %H:%M}"


def _waited_for(total: Deadline) -> list[Deadline]:
    """R-8.3 with R-8.9, parts published one by one: once the total is carried (all parts in), the other bodies'
    part terms still open — revisions and publications of their parts — that the whole answer waits for. Their
    people are reminded of the total too, since they, not the carrier, can still save it (`_held_up_by` charges
    them when it runs out); [] for any other deadline."""
    if total.stage != Deadline.Stage.OVERALL or total.case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE:
        return []
    if _carried_from(total) is None:
        return []
    return list(
        Deadline.objects.filter(
            OPEN_DEADLINE,
            case_id=total.case_id,
            stage__in=_PART_TERMS,
            draft__kind=Draft.Kind.PART,
            body__isnull=False,
        )
        .exclude(body_id=total.body_id or 0)
        .select_related("case", "body", "responsible")
        .order_by("due_at", "id")
    )


def told_about(deadline: Deadline, now: datetime, away: set[int] | None = None) -> list[tuple[Person, str]]:
    """Who is told about the deadline now, each with the sentence saying why when it is not its responsible
    person: the curator's review (R-8.5) as the curators share it (`curator_duty`), any other as `_on_duty_for`
    finds."""
    if curators_work(deadline):  # a review, or the common answer the curator composes: shared
        curators, why = curators_doing(deadline, now)
        return [(curator, why) for curator in curators]
    return _on_duty_for(deadline, now, away)


def _on_duty_for(deadline: Deadline, now: datetime, away: set[int] | None = None) -> list[tuple[Person, str]]:
    """Who is told about the deadline now (R-6): its responsible person, or whoever does their work while they are
    away (an absence that began after the deadline was opened), with a sentence saying why. When nobody of the
    body is present to act (`on_duty` finds nobody) the case's curators, who must decide, are told (as
    `curator_duty` finds them), and the responsible person too while their account is active and they still work
    for the body (they read it on return); a switched-off account is told nothing (`notify`). With `away` (the absent ones among many, read at
    once) a present person is answered without a query."""
    responsible = deadline.responsible
    if responsible is None and deadline.body_id is not None and (executor := _taken_by(deadline)) is not None:
        # nobody was named when the work came, and an executor took the case up since: theirs
        duty = on_duty(executor, now, body_id=deadline.body_id)
        if duty.person is not None:
            why = (
                "" if duty.person == executor else f" Вы получили это вместо исполнителя: {duty.explanation}."
            )
            return [(duty.person, why)]
    if responsible is None:
        if deadline.body_id is None:
            return []
        # nobody of the body was on duty when the work came: whoever of it is present now, else the curators
        duty = body_duty(deadline.body_id, now)
    elif away is not None and responsible.is_active and responsible.pk not in away:
        return [(responsible, "")]
    else:
        duty = on_duty(responsible, now, body_id=deadline.body_id)
    if duty.person is None:
        curators, _ = curator_duty(deadline.case, now)
        told = [(curator, f" Вы получили это как куратор: {duty.explanation}.") for curator in curators]
        if (
            responsible is not None
            and responsible.is_active
            and responsible not in curators
            # absent, they read it on return; moved to another body (or their role taken off), the case no
            # longer opens for them
            and not (deadline.body_id and moved_ids([(responsible.pk, deadline.body_id)]))
        ):
            told.append((responsible, ""))
        return told
    if responsible is None:
        return [(duty.person, f" Вы получили это: {duty.explanation}.")]
    if duty.person == responsible:
        return [(responsible, "")]
    return [(duty.person, f" Вы получили это вместо ответственного: {duty.explanation}.")]
