"""In-app notifications about cases, e-mailed after the transaction commits (never before the save)."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from otklik.org.models import Person, Role

from .models import Case, Deadline, Notification


def _email(address: str, subject: str, text: str) -> None:
    send_mail(
        subject,
        text,
        getattr(settings, "DEFAULT_FROM_EMAIL", "otklik@localhost"),
        [address],
        fail_silently=True,
    )


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
        transaction.on_commit(partial(_email, recipient.email, subject, text))
    return note


def curators_for(case: Case) -> list[Person]:
    """The curator who dispatched the case while active; otherwise every active curator."""
    curator = case.dispatched_by
    if curator.is_active and curator.has_role(Role.Kind.CURATOR):
        return [curator]
    return list(Person.objects.filter(roles__kind=Role.Kind.CURATOR, is_active=True).distinct())
