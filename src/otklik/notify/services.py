"""Delivery of notices: in the app at once, by e-mail after the transaction commits (never before the save).

Every e-mail is a `Mail` row written with the notices: when the mail server is down the message is kept with its
error, logged, and sent again by `retry_mail` (the `resend_alerts` task), never dropped."""

from __future__ import annotations

import base64
import logging
import os
import smtplib
import socket
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from otklik.org.models import Person, Role

from .models import (
    MAIL_INTERRUPTED,
    MAIL_KEPT,
    MAIL_LEASE,
    MAIL_MAX_ATTEMPTS,
    Alert,
    Mail,
    Notice,
    RunLock,
    mail_due_again,
)

if TYPE_CHECKING:
    from otklik.cases.models import Case, Deadline

logger = logging.getLogger(__name__)

Attachment = tuple[str, bytes, str]

# An unanswering mail server must not hold a request or the worker for ever (Django's default has no timeout).
MAIL_TIMEOUT_SECONDS = 30
DEFAULT_PAUSE_SECONDS = 60  # settings.OTKLIK_MAIL_PAUSE_SECONDS
# A row still pending this long after it was written was not sent after its commit (the process stopped).
STALE_PENDING = timedelta(minutes=10)


def observers() -> list[Person]:
    """The vice-governor's office and the Governor's office read the system as observers."""
    return list(
        Person.objects.filter(roles__kind=Role.Kind.OBSERVER, is_active=True).distinct().order_by("id")
    )


def unseen_alerts(person: Person) -> QuerySet[Notice]:
    """R-14: the in-app notices of alerts `person` has not yet seen on the alerts page (`views.alerts` marks them
    read): the desktop's «Новые срочные оповещения». Observers get such a notice of every alert
    (`alerts.raise_alert`); a person without notices (a curator) has none new and is shown the last day's."""
    return Notice.objects.filter(recipient_id=person.pk, kind=Notice.Kind.ALERT, read_at__isnull=True)


def hold_run_lock(name: str, now: datetime) -> None:
    """Wait for and hold the run lock `name` (`RunLock`) until the enclosing transaction ends: another run of the
    same job waits here until this one has committed (PostgreSQL: a row lock; SQLite: the IMMEDIATE transaction
    already holds the database's one write lock). Records when the job ran."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"run lock {name!r} taken outside a transaction: it would be released at once")
    lock, _ = RunLock.objects.select_for_update().get_or_create(name=name)
    RunLock.objects.filter(pk=lock.pk).update(ran_at=now)


def unread_reports(person: Person) -> QuerySet[Notice]:
    """R-13: the reports delivered to `person` in the app (a `Notice` of kind «отчёт») they have not yet been
    shown: counted in the header's «Уведомления» beside the case notifications."""
    return Notice.objects.filter(recipient_id=person.pk, kind=Notice.Kind.REPORT, read_at__isnull=True)


LATEST_NOTICES = 5  # the latest notices shown on the page of notifications, beside every unread report


def latest_notices(person: Person, now: datetime | None = None) -> list[Notice]:
    """R-13, R-14: the person's notices that are not about one case, for the page of notifications the header's
    «Уведомления» leads to: every report not yet shown and the latest few of any kind, newest first, each with
    `href` (a report: its page; an alert: the alerts page). The reports among them count as read from this showing;
    an alert's notice is seen on the alerts page (`unseen_alerts`, the desktop's «Новые срочные оповещения»)."""
    unread = list(unread_reports(person)[:20])
    latest = list(Notice.objects.filter(recipient_id=person.pk)[:LATEST_NOTICES])
    items = sorted(
        {n.pk: n for n in [*unread, *latest]}.values(), key=lambda n: (n.created_at, n.pk), reverse=True
    )
    for n in items:
        first = next(iter(n.link.split()), "") if n.kind == Notice.Kind.REPORT else ""
        n.href = (  # type: ignore[attr-defined]
            reverse("notify:alerts") if n.kind == Notice.Kind.ALERT else first or reverse("notify:notices")
        )
    mark_reports_shown(items, now)
    return items


def mark_reports_shown(items: Iterable[Notice], now: datetime | None = None) -> None:
    """R-13: the reports among the notices just shown to their recipient are read (the header's badge counts the
    unread ones, `unread_reports`)."""
    shown = [n.pk for n in items if n.kind == Notice.Kind.REPORT and n.read_at is None]
    if shown:
        Notice.objects.filter(pk__in=shown, read_at__isnull=True).update(read_at=now or timezone.now())


def deliverable(addresses: Iterable[str]) -> list[str]:
    """The addresses a mail server can be given, sorted and once each. A malformed one (a typo, «a@b; c@d») is
    left out and logged: the mail backend refuses the whole letter for it, and the others must still get it."""
    good: set[str] = set()
    for address in addresses:
        address = address.strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            logger.error("e-mail address %r is malformed; the letter goes to the other addresses", address)
            continue
        good.add(address)
    return sorted(good)


def queue_mail(
    addresses: Iterable[str],
    subject: str,
    text: str,
    attachments: Sequence[Attachment] = (),
    *,
    alert: Alert | None = None,
) -> Mail:
    """Keep the e-mail with the transaction's other rows and send it once the transaction commits (a failure
    there is kept on the row and never reaches the request or the sweep that wrote it). `alert`: the R-14 alert
    it carries, whose page shows the letter's delivery."""
    mail = Mail.objects.create(
        alert=alert,
        to=deliverable(addresses),
        subject=subject[:400],
        text=text,
        attachments=[
            {"name": name, "mime": mime, "data": base64.b64encode(data).decode("ascii")}
            for name, data, mime in attachments
        ],
        created_at=timezone.now(),  # when it was written, not the moment the notice speaks of
    )
    transaction.on_commit(partial(send_kept_mail, mail.pk), robust=True)
    return mail


# When the mail server cannot be reached, the letters after the first failure are not tried for a while (each
# would wait for the timeout): they stay kept and `retry_mail` sends them later. Per process and per server
# (backend, host, port), on the monotonic clock.
_server_down: dict[tuple[str, str, int], float] = {}


def _server() -> tuple[str, str, int]:
    return (
        str(settings.EMAIL_BACKEND),
        str(getattr(settings, "EMAIL_HOST", "")),
        int(getattr(settings, "EMAIL_PORT", 0) or 0),
    )


def _server_pause() -> float:
    return float(getattr(settings, "OTKLIK_MAIL_PAUSE_SECONDS", DEFAULT_PAUSE_SECONDS))


def _unreachable(error: Exception) -> bool:
    """The server was not reached or went away (not: it refused this letter's address)."""
    return isinstance(
        error,
        (
            ConnectionError,
            TimeoutError,
            socket.gaierror,
            smtplib.SMTPConnectError,
            smtplib.SMTPServerDisconnected,
        ),
    )


def claimable_mail(now: datetime) -> Q:
    """The letters a sender may claim now: not sent and not in the hands of another sender, whose claim
    (`Mail.claimed_at`) is younger than `MAIL_LEASE`."""
    return Q(state__in=[Mail.State.PENDING, Mail.State.FAILED]) | lost_mail_claim(now)


def lost_mail_claim(now: datetime) -> Q:
    """Letters left «отправляется» by a sender that did not finish within `MAIL_LEASE`: its process stopped while
    the mail server had the letter, and whether the server took it is unknown."""
    return Q(state=Mail.State.SENDING) & (Q(claimed_at__lt=now - MAIL_LEASE) | Q(claimed_at__isnull=True))


def send_kept_mail(mail_id: int, *, by_hand: bool = False, now: datetime | None = None) -> str:
    """Hand one kept e-mail to the mail server; returns its state (SENDING: another sender has it in hand right
    now, nothing was sent by this call). A failure is kept on the row and logged.

    The attempt is claimed first by a conditional UPDATE (the same on SQLite and PostgreSQL, no lock held while
    the server takes the letter) that counts it and marks the letter «отправляется» with the moment of the claim:
    the send after the commit, the periodic resend of every worker and the administrator's «Отправить ещё раз»
    leave it to that attempt, so the letter goes once. A claim older than `MAIL_LEASE` was lost with its process
    (`retry_mail` records it); taking it over sends the letter again, marked as a possible repeat (`maybe_sent`).
    `by_hand` (the administrator's «Отправить ещё раз»): tried even while the server is paused as unreachable."""
    now = now or timezone.now()
    mail = Mail.objects.filter(pk=mail_id).first()
    if mail is None:
        logger.error("mail %s: no such row, nothing sent", mail_id)
        return Mail.State.FAILED
    if mail.state == Mail.State.SENT:
        return mail.state
    if not by_hand and time.monotonic() < _server_down.get(_server(), 0.0):
        return mail.state  # kept as it is; `retry_mail` sends it when the server is back
    attempts = mail.attempts + 1
    claimed = Mail.objects.filter(claimable_mail(now), pk=mail.pk, attempts=mail.attempts).update(
        attempts=attempts,
        state=Mail.State.SENDING,
        # the moment of the claim, not the run's start (`retry_mail` passes one `now` to a run that may hand over
        # letters for longer than the lease): else another worker takes a letter still being handed over
        claimed_at=max(now, timezone.now()),
        # taking over a lost claim: the server may have the letter already
        maybe_sent=models.Case(
            models.When(state=Mail.State.SENDING, then=models.Value(True)), default=models.F("maybe_sent")
        ),
    )
    if claimed != 1:
        return Mail.objects.filter(pk=mail.pk).values_list("state", flat=True).first() or Mail.State.FAILED
    mail.refresh_from_db(fields=["maybe_sent"])
    ours = Mail.objects.filter(pk=mail.pk, attempts=attempts)
    try:
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or MAIL_TIMEOUT_SECONDS
        message = EmailMessage(
            mail.subject,
            _maybe_sent_note(mail) + _late_note(mail, timezone.now()) + mail.text,
            getattr(settings, "DEFAULT_FROM_EMAIL", "otklik@localhost"),
            list(mail.to),
            connection=get_connection(timeout=timeout),
            # every copy of the letter is the same message: a mail program that keeps one per Message-ID shows
            # a repeat (after an interrupted attempt) once
            headers={"Message-ID": _message_id(mail)},
        )
        for item in mail.attachments:
            message.attach(item["name"], base64.b64decode(item["data"]), item["mime"])
        message.send(fail_silently=False)
    except Exception as e:  # whatever the backend, the mail server or the network did, the e-mail is kept
        error = f"{type(e).__name__}: {e}"
        logger.warning(
            "mail %s (%r to %d addresses) not sent, attempt %d: %s",
            mail.pk,
            mail.subject,
            len(mail.to),
            attempts,
            error,
        )
        if _unreachable(e):
            _server_down[_server()] = time.monotonic() + _server_pause()
        # conditional: an attempt that outlived its claim leaves the letter to the sender that took it over
        if not ours.exclude(state=Mail.State.SENT).update(
            state=Mail.State.FAILED, error=error[:1000], claimed_at=None
        ):
            logger.warning("mail %s: attempt %d outlived its claim (failed)", mail.pk, attempts)
        return Mail.State.FAILED
    done = {"state": Mail.State.SENT, "error": "", "sent_at": timezone.now(), "claimed_at": None}
    if not ours.update(**done):
        # the claim was taken over as lost meanwhile: a delivery is the truth whatever the other attempt does
        logger.warning("mail %s: attempt %d outlived its claim (sent)", mail.pk, attempts)
        Mail.objects.filter(pk=mail.pk).update(**done)
    if attempts > 1:
        logger.info("mail %s sent on attempt %d", mail.pk, attempts)
    return Mail.State.SENT


# A letter handed to the server this long after it was written says so: its text (a reminder's «осталось 2 ч»)
# speaks of the moment it was written.
LATE_NOTE_AFTER = timedelta(hours=1)


def _late_note(mail: Mail, now: datetime) -> str:
    if now - mail.created_at < LATE_NOTE_AFTER:
        return ""
    written = timezone.localtime(mail.created_at)
    return (
        f"Письмо написано {written:%d.%m.%Y %H:%M} (мск) и отправлено с опозданием: почтовый сервер не принял его "
        "вовремя.\n\n"
    )


MAYBE_SENT_NOTE = (
    "Возможно, это письмо уже приходило: предыдущая попытка отправки прервалась, и неизвестно, принял ли его "
    "почтовый сервер.\n\n"
)


def _maybe_sent_note(mail: Mail) -> str:
    """A letter sent again after an interrupted attempt says it may be a repeat: an alert or a report must not be
    lost for fear of a second copy (SMTP has no way to ask whether the server took the first), and its reader
    should not take the copy for a second alert."""
    return MAYBE_SENT_NOTE if mail.maybe_sent else ""


def _message_id(mail: Mail) -> str:
    return f"<otklik-mail-{mail.pk}-{int(mail.created_at.timestamp())}@{DNS_NAME}>"


def retry_mail(now: datetime | None = None) -> int:
    """Send again the e-mails the mail server did not take (and those never tried); returns how many went.
    Ten quick tries, one a run, then one an hour for the first day, then one every two hours until four days after
    the letter was written (`models.mail_due_again`: a server down over a weekend or a holiday loses nothing); a
    letter never tried (left pending by a stopped process) is tried on every run until the same limit. Then the
    administrator sends it again by hand («Письма», «Отправить ещё раз»: `send_again`).

    A letter left «отправляется» past `MAIL_LEASE` (its sender's process stopped while the server had it) is
    recorded as failed with `MAIL_INTERRUPTED` and `maybe_sent`, then retried on the same schedule: sent again,
    saying it may be a repeat, rather than lost (unlike an answer in a citizen's thread, `intake.outbox`, a second
    copy of an alert or a report harms no one)."""
    now = now or timezone.now()
    for lost in Mail.objects.filter(lost_mail_claim(now)).only("pk", "attempts"):
        if Mail.objects.filter(lost_mail_claim(now), pk=lost.pk, attempts=lost.attempts).update(
            state=Mail.State.FAILED, error=MAIL_INTERRUPTED, maybe_sent=True, claimed_at=None
        ):
            logger.warning(
                "mail %s: attempt %d was interrupted (claimed over %s ago, no outcome written); the server may "
                "have taken it: it is sent again, marked as a possible repeat",
                lost.pk,
                lost.attempts,
                MAIL_LEASE,
            )
    limit = MAIL_MAX_ATTEMPTS
    due = Mail.objects.filter(
        Q(state=Mail.State.FAILED) | Q(state=Mail.State.PENDING, created_at__lt=now - STALE_PENDING),
        attempts__lt=limit,
    ).order_by("id")
    sent = 0
    for mail in list(due.only("pk", "state", "attempts", "created_at")):
        never_tried = mail.state == Mail.State.PENDING
        if not never_tried and not mail_due_again(mail.attempts, mail.created_at, now):
            continue
        state = send_kept_mail(mail.pk, now=now)
        sent += state == Mail.State.SENT
        if state == Mail.State.FAILED and Mail.objects.filter(pk=mail.pk, attempts__gte=limit).exists():
            logger.error(
                "mail %s: given up after %d attempts over %s; send it again in the admin (Письма)",
                mail.pk,
                limit,
                MAIL_KEPT,
            )
    return sent


@dataclass(frozen=True)
class SentAgain:
    """What the administrator's «Отправить ещё раз» did: how many letters went, those another attempt has in hand
    right now (not sent a second time), and those the server did not take (with their error)."""

    sent: int
    sending: list[Mail]
    failed: list[Mail]


def send_again(mail_ids: Iterable[int]) -> SentAgain:
    """The administrator's «Отправить ещё раз» (R-13, R-14): one attempt now for each letter not yet sent, however
    many automatic ones are behind it (a letter given up after the mail server was down for days); a letter
    another attempt is handing to the server right now is left to it."""
    sent, sending, failed = 0, list[Mail](), list[Mail]()
    for pk in sorted(set(mail_ids)):
        state = send_kept_mail(pk, by_hand=True)
        if state == Mail.State.SENT:
            sent += 1
            continue
        mail = Mail.objects.filter(pk=pk).first()
        if mail is not None:
            (sending if state == Mail.State.SENDING else failed).append(mail)
    return SentAgain(sent, sending, failed)


def site_url() -> str:
    """The site's address as people open it («https://otklik.lenreg.ru»), for links in letters sent with no
    request at hand (a case dispatched, a reminder): setting or environment `OTKLIK_SITE_URL`; "" when unset."""
    value = getattr(settings, "OTKLIK_SITE_URL", None) or os.environ.get("OTKLIK_SITE_URL", "")
    return str(value).strip().rstrip("/")


def case_letter(case: Case, text: str, recipient: Person, deadline: Deadline | None = None) -> str:
    """R-8: the e-mail of a notification about a case: its text, the recipient's nearest open deadline of the case
    (`deadline` when the notification is about one; a window such as п. 8.2 is no obligation and is left out),
    its stage and due time in Moscow time, and the case's address (absolute with `site_url`, else its path)."""
    from otklik.cases.models import Deadline

    lines = [text]
    if deadline is None:
        deadline = (
            Deadline.objects.filter(
                case=case, responsible=recipient, met_at__isnull=True, cancelled_at__isnull=True
            )
            .exclude(stage__in=Deadline.WINDOWS)
            .order_by("due_at", "id")
            .first()
        )
    if deadline is not None:
        due = timezone.localtime(deadline.due_at)  # Moscow time (TIME_ZONE)
        lines.append(f"Срок: {deadline.get_stage_display()} — до {due:%d.%m.%Y %H:%M} (мск)")
    lines.append(f"{case}: {site_url()}{_case_path(case)}")
    return "\n".join(lines)


def _case_path(case: Case) -> str:
    """Where a letter about the case leads: its page, or for a question under the Governor's post (R-7.1: answered
    and approved on the post's page) the question on that page, as the in-app notices do."""
    from otklik.cases.models import Case as CaseModel
    from otklik.governor.models import question_pages

    on_post = question_pages([case.pk]) if case.origin == CaseModel.Origin.GOVERNOR_POST else {}
    return on_post.get(case.pk) or reverse("cases:detail", args=[case.pk])


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
    mail_text: str | None = None,
    alert: Alert | None = None,
) -> list[Notice]:
    """An in-app notice to each person and one e-mail to their addresses and `extra_emails`; `mail_text` (when
    the letter must say more than the notice, e.g. the links a notice shows on its title) replaces `text` in it;
    `alert`: the alert (R-14) the letter tells, whose page shows the letter's state."""
    people = list(people)
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient=p, kind=kind, title=title[:300], text=text, link=link, created_at=now)
            for p in people
        ]
    )
    addresses = deliverable([p.email for p in people if p.email] + list(extra_emails))
    if addresses:
        queue_mail(
            addresses,
            f"Отклик: {title}",
            text if mail_text is None else mail_text,
            attachments,
            alert=alert,
        )
    return notices
