"""In-app notifications about cases, e-mailed after the transaction commits (never before the save) through the
kept-mail queue (`notify.services.queue_mail`): a mail server that is down delays a reminder, never loses it."""

from __future__ import annotations

from datetime import datetime

from otklik.notify.services import case_letter, queue_mail
from otklik.org.models import Person, Role

from .models import Case, Deadline, Notification


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
    note = Notification.objects.create(
        recipient=recipient, case=case, kind=kind, text=text[:500], created_at=now, deadline=deadline
    )
    if recipient.email:
        subject = f"Отклик: {Notification.Kind(kind).label} — обращение № {case.pk}"
        # the letter adds the recipient's nearest deadline of the case and its address; kept and retried
        # if the mail server is down
        queue_mail([recipient.email], subject, case_letter(case, text, recipient, deadline))
    return note


def curators_for(case: Case) -> list[Person]:
    """The curator who dispatched the case while active; otherwise every active curator."""
    curator = case.dispatched_by
    if curator.is_active and curator.has_role(Role.Kind.CURATOR):
        return [curator]
    return list(Person.objects.filter(roles__kind=Role.Kind.CURATOR, is_active=True).distinct())
