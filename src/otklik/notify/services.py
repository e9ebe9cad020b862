"""Delivery of notices: in the app at once, by e-mail after the transaction commits (never before the save)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from otklik.org.models import Person, Role

from .models import Notice

Attachment = tuple[str, bytes, str]


def observers() -> list[Person]:
    """The vice-governor's office and the Governor's office read the system as observers."""
    return list(
        Person.objects.filter(roles__kind=Role.Kind.OBSERVER, is_active=True).distinct().order_by("id")
    )


def _send_email(addresses: list[str], subject: str, text: str, attachments: Sequence[Attachment]) -> None:
    mail = EmailMessage(subject, text, getattr(settings, "DEFAULT_FROM_EMAIL", "otklik@localhost"), addresses)
    for name, data, mime in attachments:
        mail.attach(name, data, mime)
    mail.send(fail_silently=True)


def notify_people(
    people: Iterable[Person],
    kind: str,
    title: str,
    text: str,
    now: datetime,
    *,
    link: str = "",
    attachments: Sequence[Attachment] = (),
    extra_emails: Iterable[str] = (),
) -> list[Notice]:
    people = list(people)
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient=p, kind=kind, title=title[:300], text=text, link=link[:500], created_at=now)
            for p in people
        ]
    )
    addresses = sorted({p.email for p in people if p.email} | {e for e in extra_emails if e})
    if addresses:
        transaction.on_commit(partial(_send_email, addresses, f"Отклик: {title}", text, list(attachments)))
    return notices
