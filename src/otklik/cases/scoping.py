"""Who sees which cases (R-4.2–4.3): one helper used by every query of cases.

Curators (and administrators, observers) see every case; executors and responsible officials see the cases
sent to their bodies; observers only read. Everything else is invisible (404), never "forbidden".
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from otklik.org.models import Person, Role

from .models import OPEN_DEADLINE, Assignment, Case, Deadline, Draft


def sees_all(user: Person) -> bool:
    return user.has_role(Role.Kind.ADMINISTRATOR, Role.Kind.CURATOR, Role.Kind.OBSERVER)


def may_read_draft(user: Person, case: Case, draft: Draft) -> bool:
    """R-3, R-4.2, R-7.1: a question under the Governor's post is answered by each of its bodies for itself; a body's
    unpublished wording (waiting for its head's approval, returned, replaced) is read only by its own people and the
    office; the people of every other body of the question read what was published (as on the post page,
    `governor.views._question_row`). A case of clause 8 is one answer, whose drafts every body of it reads."""
    if case.origin != Case.Origin.GOVERNOR_POST or draft.state == Draft.State.PUBLISHED or sees_all(user):
        return True
    a = draft.assignment
    return a is not None and a.body_id in my_body_ids(user)


def my_body_ids(user: Person) -> set[int]:
    cached: set[int] | None = getattr(user, "_case_body_ids", None)
    if cached is None:
        cached = set(
            Role.objects.filter(person=user, kind__in=Role.BODY_BOUND, body__isnull=False).values_list(
                "body_id", flat=True
            )
        )
        user._case_body_ids = cached  # type: ignore[attr-defined]
    return cached


def cases_for(user: Person) -> QuerySet[Case]:
    """The cases `user` may open."""
    if sees_all(user):
        return Case.objects.all()
    ids = my_body_ids(user)
    if not ids:
        return Case.objects.none()
    return Case.objects.filter(Exists(Assignment.objects.filter(case=OuterRef("pk"), body_id__in=ids)))


def can_work(user: Person) -> bool:
    """Observers (and administrators without a workflow role) read only."""
    return user.has_role(Role.Kind.CURATOR) or bool(my_body_ids(user))


def duties_of(user: Person) -> Q:
    """The deadlines `user` answers for: their bodies' and those they answer for themselves (a curator's
    approvals, R-8.5). A deadline of another body still naming somebody who has moved away from it (R-6: the sweep
    gives its reminders to those on duty there, `org.duty.moved_ids`) is no longer theirs: its case does not open
    for them."""
    bodies = Q(body_id__in=my_body_ids(user))
    if user.has_role(Role.Kind.CURATOR):
        # and the work of a curator away (or switched off) that `curators_instead_of` gives her now: her named
        # substitute's, or every curator's present when none is — as the reminders and the charge go
        own = Q(responsible=user) | Q(responsible_id__in=_curators_covered_by(user))
    else:
        # a deadline of no body naming her (a curator's approval) is hers only while she may open its case: a curator
        # whose role is taken off reads nothing of it any more (R-4.2–4.3)
        own = Q(responsible=user, body__isnull=True, case__in=cases_for(user))
        # the curators' own work (a review, a common answer the office composes: no body's assignment) is filed
        # under the office for its working time, and is no work of a non-curator holding a role there
        bodies &= ~Q(assignment__isnull=True, body__is_coordinator=True)
    return bodies | own


def _curators_covered_by(user: Person) -> list[int]:
    """The curators whose work `user` (a curator) does now (`notify.curators_instead_of`): away or switched off."""
    from otklik.org.duty import absence_at

    from .notify import curators_instead_of

    now = timezone.now()
    candidates = (
        Person.objects.filter(roles__kind=Role.Kind.CURATOR)
        .filter(Q(is_active=False) | Q(absences__starts_at__lte=now, absences__ends_at__gt=now))
        .exclude(pk=user.pk)
        .distinct()
    )
    if absence_at(user, now) is not None:
        return []  # away herself: the work goes past her
    return [c.pk for c in candidates if any(p.pk == user.pk for p in curators_instead_of(c, now)[0])]


def my_deadlines(user: Person) -> QuerySet[Deadline]:
    """The open deadlines `user` works to (`duties_of`); the R-8.2 window is no duty. «Мои обращения» lists them,
    the home page counts them."""
    return Deadline.objects.filter(OPEN_DEADLINE).filter(duties_of(user)).exclude(stage__in=Deadline.WINDOWS)


# «Мои обращения» narrowed to the home page's figures (`?show=`): the label of each
DUE_SHOWN = {"today": "со сроком, истекающим сегодня", "overdue": "с просроченным сроком"}


def due_now(deadlines: QuerySet[Deadline], show: str, now: datetime) -> QuerySet[Deadline]:
    """The deadlines of the home page's figure `show`: «today» — due later today (the Moscow calendar day),
    «overdue» — due already."""
    if show == "overdue":
        return deadlines.filter(due_at__lte=now)
    local = timezone.localtime(now)
    tomorrow = datetime.combine(local.date() + timedelta(days=1), time(), local.tzinfo)
    return deadlines.filter(due_at__gt=now, due_at__lt=tomorrow)


def awaiting_review() -> QuerySet[Case]:
    """Cases whose draft waits for the curator (R-8.5); a question under the Governor's post waits for its body's
    head (R-7.1), not the curator."""
    return Case.objects.filter(status=Case.Status.REVIEW).exclude(origin=Case.Origin.GOVERNOR_POST)


def refused_unreplaced() -> QuerySet[Case]:
    """Cases a body refused (R-8.2) where the curator can name another body in its place now («Переназначить»:
    while the answer is prepared): one body's case waiting for a new one, and a case of several bodies whose other
    bodies go on meanwhile (R-8.9)."""
    refused = Assignment.objects.filter(case=OuterRef("pk"), state=Assignment.State.REJECTED)
    return Case.objects.filter(status__in=(Case.Status.DRAFTING, Case.Status.REROUTING)).filter(
        Exists(refused)
    )
