"""The outbox of answers to publish (R-8.7): a row written with the approval, sent by a task.

States: pending -> sending -> sent; a transient error puts the row back to pending with a backoff (and the
network's ``retry_after`` when it gave one); a permanent error, or too many attempts, makes it failed, which
means the executor publishes by hand. R-8.7 gives 30 working minutes to publish: a case's row is retried only
while the next attempt falls before the due moment of the case's open publication deadline (its stored
``due_at``); one that would come later fails at once (a row whose due moment had already passed when the attempt
began keeps its attempts: stopping saves no time), and the first failed attempt of a row that is retried is
told at once (``outbox_retrying``: the executor may publish by hand meanwhile, and the row is then not sent).
A row found in "sending" (the worker died during the request) is
only sent again where the network deduplicates by our key (VK ``guid``); elsewhere the outcome is unknown,
so it goes to failed with a note to check the thread, rather than risk a second copy of the answer. The same
holds for an attempt whose answer never came back (a read timeout, a gateway's 5xx:
``ConnectorError.maybe_done``) on such a network; where the row is retried (VK), it remembers such an attempt
(``maybe_sent``), so a later failure for good still asks the executor to check the thread first. A row whose answer the executor published by hand and
confirmed while it waited for a retry is not sent (manual).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from otklik.integrations.base import DETAILS, ConnectorError
from otklik.queueing import enqueue_with_transaction

from .models import Message, Outbox

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BASE_DELAY = 30.0
MAX_DELAY = 3600.0
SEND_LEASE = timedelta(minutes=10)  # longer than any request's timeout
# The key of a case's draft publication (`otklik.cases.actions.publish_key`).
CASE_KEY = re.compile(r"^case-(?P<case>\d+)-draft-(?P<draft>\d+)$")


# Sent after a row's final outcome, for the case workflow to record it (otklik.cases.publishing).
outbox_sent = Signal()  # kwargs: row
outbox_failed = Signal()  # kwargs: row
# Sent after a row's first failed attempt when it is to be retried: kwargs row (its `next_attempt_at` is the next
# attempt), why (the failure in words for people).
outbox_retrying = Signal()


def backoff(attempts: int, retry_after: float | None = None) -> float:
    delay = min(BASE_DELAY * 2.0 ** max(attempts - 1, 0), MAX_DELAY)
    return max(delay, retry_after or 0.0)


def enqueue_reply(message: Message, text: str, idempotency_key: str, *, case_id: int | None = None) -> Outbox:
    """Write the outbox row (call inside the approval's transaction); the send task is enqueued with it."""
    from otklik.integrations.publish import API_NETWORKS

    state = Outbox.State.PENDING if message.network in API_NETWORKS else Outbox.State.MANUAL
    row, created = Outbox.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={"message": message, "text": text, "case_id": case_id, "state": state},
    )
    if created and state == Outbox.State.PENDING:
        enqueue_with_transaction(lambda: schedule(row.pk))
    return row


def schedule(outbox_id: int, delay: float = 0.0) -> None:
    from .tasks import send_outbox

    if delay > 0:
        send_outbox.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(outbox_id)
    else:
        send_outbox.enqueue(outbox_id)


def send(outbox_id: int, *, reschedule: bool = True) -> Outbox:
    """One attempt to publish an outbox row; safe to call any number of times."""
    from otklik.integrations.publish import IDEMPOTENT_NETWORKS, publish_reply

    now = timezone.now()
    with transaction.atomic():
        row = (
            Outbox.objects.select_for_update(of=("self",))
            .select_related("message", "message__source")
            .get(pk=outbox_id)
        )
        if row.state not in (Outbox.State.PENDING, Outbox.State.SENDING):
            return row  # already sent, failed or manual: nothing to do, never a second copy
        if row.next_attempt_at and row.next_attempt_at > now:
            return row  # its backoff, or another worker is sending it now (the lease below)
        if _published_by_hand(row):
            row.state = Outbox.State.MANUAL
            row.last_error = "не отправлен: ответ тем временем опубликован вручную и подтверждён"
            row.next_attempt_at = None
            row.save(update_fields=["state", "last_error", "next_attempt_at"])
            log.info("outbox %s: published by hand meanwhile, not sent again", row.pk)
            return row
        if row.state == Outbox.State.SENDING and row.message.network not in IDEMPOTENT_NETWORKS:
            row.state = Outbox.State.FAILED
            row.last_error = unknown_outcome(
                "an earlier attempt was interrupted: check the thread before publishing by hand"
            )
            row.next_attempt_at = None
            row.save(update_fields=["state", "last_error", "next_attempt_at"])
            log.warning("outbox %s: interrupted send to %s, not repeated", row.pk, row.message.network)
            transaction.on_commit(lambda: outbox_failed.send(sender=Outbox, row=row))
            return row
        if row.state == Outbox.State.SENDING:  # interrupted where our key deduplicates: sent again below
            row.maybe_sent = True
        row.state = Outbox.State.SENDING
        row.attempts += 1
        # While sending, `next_attempt_at` is the lease: past it the attempt counts as interrupted (the worker
        # died), and `send_due` takes the row up again.
        row.next_attempt_at = now + SEND_LEASE
        row.save(update_fields=["state", "attempts", "next_attempt_at", "maybe_sent"])
    try:
        result = publish_reply(row.message, row.text, row.idempotency_key)
    except Exception as exc:
        if isinstance(exc, ConnectorError):
            return _failed_attempt(row, exc, now, reschedule=reschedule)
        # Not the network's answer but our own failure (a setting the connector cannot read, a bug): whether
        # anything was published is unknown, so the executor publishes by hand, as after an interrupted attempt.
        log.exception("outbox %s: publishing failed unexpectedly", row.pk)
        row.state = Outbox.State.FAILED
        detail = f"unexpected error: {type(exc).__name__}: {exc}"
        row.last_error = f"внутренняя ошибка Отклика при публикации{DETAILS}{detail}"[:5000]
        row.next_attempt_at = None
        row.save(update_fields=["state", "last_error", "next_attempt_at"])
        outbox_failed.send(sender=Outbox, row=row)
        return row
    row.state = Outbox.State.SENT
    row.result_url = result.url[:1000]
    row.result_external_id = result.external_id[:300]
    row.sent_at = timezone.now()
    row.last_error = ""
    row.next_attempt_at = None
    row.save(
        update_fields=[
            "state",
            "result_url",
            "result_external_id",
            "sent_at",
            "last_error",
            "next_attempt_at",
        ]
    )
    log.info("outbox %s published at %s", row.pk, row.result_url)
    outbox_sent.send(sender=Outbox, row=row)
    return row


def send_due(limit: int = 100) -> int:
    """Send rows whose time has come (a safety net if a scheduled task was lost). Returns rows tried."""
    now = timezone.now()
    # A row being sent holds a lease in `next_attempt_at`; past it the attempt was interrupted.
    ids = list(
        Outbox.objects.filter(state__in=[Outbox.State.PENDING, Outbox.State.SENDING])
        .exclude(next_attempt_at__gt=now)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        send(pk, reschedule=False)
    return len(ids)


def unknown_outcome(detail: str) -> str:
    """What the executor is told when an attempt may have published the answer though we never heard so
    (Russian first: it is quoted in the case's timeline and the notification; ``detail`` for the operator)."""
    return (
        "неизвестно, опубликован ли ответ: сеть не подтвердила публикацию — проверьте ветку в сети "
        f"и публикуйте вручную, только если ответа там нет{DETAILS}{detail}"
    )


def _published_by_hand(row: Outbox) -> bool:
    """Whether the case workflow already has this row's answer published (the executor published it by hand
    and confirmed the link while the row waited for a retry): sending it then would post a second copy."""
    match = CASE_KEY.match(row.idempotency_key or "")
    if row.case_id is None or match is None or int(match["case"]) != row.case_id:
        return False
    from django.apps import apps

    publication = apps.get_model("cases", "Publication")
    return bool(publication.objects.filter(case_id=row.case_id, draft_id=int(match["draft"])).exists())


def deleted_reason(message: Message) -> str:
    """What the executor is told when the message to answer was deleted in the network (Russian, short: it is
    quoted in the case's timeline and the notification)."""
    if message.deleted_by_other:
        who = "удалён модератором сообщества"
    elif message.deleted_by_author:
        who = "удалён автором"
    else:  # a full read or a refused reply: gone, by whom the network does not say
        who = "удалён"
    return (
        f"комментарий {who} в сети — опубликуйте ответ вручную под постом "
        "или попросите куратора закрыть обращение"
    )


def publication_due(row: Outbox) -> datetime | None:
    """The due moment of the case's open publication deadline (R-8.7) of the draft the row publishes (keys
    `case-<case>-draft-<draft>…`), the earliest of them; None for a row of no case or with no such deadline open
    (the answer published meanwhile, the case closed). Read as stored: computed in working time at the approval."""
    match = CASE_KEY.match((row.idempotency_key or "").split("-msg-", 1)[0])
    if row.case_id is None or match is None or int(match["case"]) != row.case_id:
        return None
    from django.apps import apps

    deadline = apps.get_model("cases", "Deadline")
    due: datetime | None = (
        deadline.objects.filter(
            case_id=row.case_id,
            draft_id=int(match["draft"]),
            stage="publish",
            met_at__isnull=True,
            cancelled_at__isnull=True,
        )
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return due


def _failed_attempt(row: Outbox, exc: ConnectorError, now: datetime, *, reschedule: bool) -> Outbox:
    """The network refused: back to pending with a backoff, or failed when it is final — also when the next attempt
    would come after the publication's due moment (R-8.7): the executor then publishes by hand in time."""
    from otklik.integrations.publish import DELETED, IDEMPOTENT_NETWORKS

    first_failure = not row.last_error
    delay = backoff(row.attempts, exc.retry_after)
    final = exc.permanent or row.attempts >= MAX_ATTEMPTS
    row.state = Outbox.State.FAILED if final else Outbox.State.PENDING
    # quoted to the executor: Russian first, the precise message after
    row.last_error = exc.described(retry=not final)[:5000]
    if exc.maybe_done and (final or row.message.network not in IDEMPOTENT_NETWORKS):
        # No usable answer came back, yet the network may have published it: a retry could post a second copy
        # (except where our key deduplicates), and the executor must look before publishing by hand.
        final, row.state = True, Outbox.State.FAILED
        row.last_error = unknown_outcome(str(exc))[:5000]
    elif final and row.maybe_sent:
        # This attempt was refused plainly, but an earlier one's outcome is unknown: it may be in the thread.
        row.last_error = unknown_outcome(f"{exc}; an earlier attempt's outcome is unknown")[:5000]
    row.maybe_sent = row.maybe_sent or exc.maybe_done
    if exc.code == DELETED:
        from .models import DeletedHow
        from .pipeline import mark_deleted

        final, row.state = True, Outbox.State.FAILED
        mark_deleted(row.message.network, [row.message.external_id], DeletedHow.PUBLISH)
        row.message.refresh_from_db(fields=["deleted_at", "deleted_how", "deleted_by"])
        row.last_error = deleted_reason(row.message)
        log.info("outbox %s: %s is deleted in the network, not published", row.pk, row.message.external_id)
    due = None if final else publication_due(row)
    if due is not None and now < due < now + timedelta(seconds=delay):
        # Waiting for the network would spend the executor's term (and make its breach theirs): stop here. A row
        # whose term was over before this attempt is retried up to `MAX_ATTEMPTS` all the same: nothing is saved
        # by stopping, and the executor was told at its first failure that they may publish by hand meanwhile.
        final, row.state = True, Outbox.State.FAILED
        detail = f"{exc}; next attempt in {delay:g}s, the publication is due at {due.isoformat()}"
        if row.maybe_sent:
            # VK may have published it already: our key deduplicates its retries, not a copy posted by hand
            row.last_error = unknown_outcome(detail)[:5000]
        else:
            row.last_error = (
                f"{exc.for_people}; следующая автоматическая попытка была бы позже срока публикации, "
                f"поэтому попыток больше не будет{DETAILS}{detail}"
            )[:5000]
        log.info("outbox %s: the next attempt would come after the publication's due moment %s", row.pk, due)
    row.next_attempt_at = None if final else now + timedelta(seconds=delay)
    row.save(update_fields=["state", "last_error", "next_attempt_at", "maybe_sent"])
    log.warning("outbox %s attempt %d failed: %s", row.pk, row.attempts, exc)
    if not final and reschedule:
        enqueue_with_transaction(lambda: schedule(row.pk, delay))
    if final:
        outbox_failed.send(sender=Outbox, row=row)
    elif first_failure:
        outbox_retrying.send(sender=Outbox, row=row, why=exc.for_people)
    return row
