"""In-app notifications about cases, e-mailed after the transaction commits (never before the save) through the
kept-mail queue (`notify.services.queue_mail`): a mail server that is down delays a reminder, never loses it."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from otklik.notify.services import case_letter, queue_mail
from otklik.org.duty import absence_at, absent_ids
from otklik.org.models import Person, Role

from .models import Case, Deadline, Notification

logger = logging.getLogger(__name__)


def notify(
    recipient: Person | None,
    case: Case,
    kind: str,
    text: str,
    now: datetime,
    deadline: Deadline | None = None,
) -> Notification | None:
    if recipient is None:
        return None
    if not recipient.is_active:
        # a switched-off account (dismissed, R-6) no longer does the body's work: neither a notice nor a letter
        logger.info(
            "case %s: %s notice not written for person %s, whose account is switched off",
            case.pk,
            kind,
            recipient.pk,
        )
        return None
    note = Notification.objects.create(
        recipient=recipient, case=case, kind=kind, text=text[:500], created_at=now, deadline=deadline
    )
    if recipient.email and recipient.mail_notices:  # the person's own choice on «Уведомления»
        subject = f"Отклик: {Notification.Kind(kind).label} — обращение № {case.pk}"
        # the letter adds the recipient's nearest deadline of the case and its address; kept and retried
        # if the mail server is down
        queue_mail([recipient.email], subject, case_letter(case, text, recipient, deadline))
    return note


def curators_for(case: Case, now: datetime | None = None) -> list[Person]:
    """Who is told what the case's curator must know (`curator_duty`)."""
    return curator_duty(case, now)[0]


def curator_duty(case: Case, now: datetime | None = None) -> tuple[list[Person], str]:
    """The curator who dispatched the case while active (and, given `now`, present); while she is away (R-6) the
    substitute named on her absence when an active curator present then, otherwise every active curator present
    (every active one when none is: the work is the office's, any curator may act on it). With the sentence that
    says why they are told instead of her («» when it is her)."""
    return curators_instead_of(case.dispatched_by, now)


def curators_instead_of(curator: Person, now: datetime | None = None) -> tuple[list[Person], str]:
    """`curator_duty` for any curator's work (a common answer the curator composes, R-8.9): her while active and
    present, else her absence's substitute curator present, else every active curator present."""
    if not (curator.is_active and curator.has_role(Role.Kind.CURATOR)):
        return _all_curators(now), ""
    absence = absence_at(curator, now) if now is not None else None
    if now is None or absence is None:
        return [curator], ""
    back = timezone.localtime(absence.ends_at)
    why = f" Вы получили это вместо куратора {curator}: отсутствует до {back:%d.%m.%Y %H:%M}."
    # the chain of substitute curators, as the directory follows it (`org.duty.on_duty`): her substitute, or his
    # substitute while he is away too …; every curator present when it ends with nobody
    seen = {curator.pk}
    sub = absence.substitute
    while sub is not None and sub.pk not in seen and sub.is_active and sub.has_role(Role.Kind.CURATOR):
        seen.add(sub.pk)
        away = absence_at(sub, now)
        if away is None:
            return [sub], why
        sub = away.substitute
    return [p for p in _all_curators(now) if p.pk != curator.pk] or [curator], why


def _all_curators(now: datetime | None) -> list[Person]:
    curators = list(
        Person.objects.filter(roles__kind=Role.Kind.CURATOR, is_active=True)
        .distinct()
        .order_by("last_name", "pk")
    )
    if now is None:
        return curators
    away = absent_ids([p.pk for p in curators], now)
    return [p for p in curators if p.pk not in away] or curators
