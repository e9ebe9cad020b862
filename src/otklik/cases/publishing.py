"""The outcome of publishing through a network's API, recorded on the case (R-8.7).

`approve_draft` writes an outbox row (otklik.intake.outbox); the outbox task publishes it and sends
`outbox_sent` or `outbox_failed`. Sent: the publication is confirmed by the connector (`method=api`), with the
link it returned; sent when the case could no longer take it (closed meanwhile, the answer confirmed by hand while
the request was out), the link is recorded on the timeline and the person concerned told. Failed for good: the
executor is told to publish by hand and confirm the link; the publication deadline keeps running. The first failed
attempt of a row that is retried (`outbox_retrying`) is told at once: the answer is not out yet, when the next
attempt comes, and that they may publish by hand meanwhile (R-8.7: 30 minutes).
"""

from __future__ import annotations

import logging
import textwrap
from datetime import datetime
from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from otklik.intake.outbox import outbox_retrying
from otklik.integrations.base import for_people

from .actions import PUBLISH_KEY as KEY
from .actions import ActionRefused, also_reason, confirm_publication, publisher_now
from .models import Case, CaseEvent, Draft, Notification, Publication
from .notify import notify
from .sla import hold_past_calendar

log = logging.getLogger(__name__)

# How the first failed attempt of a case's answer is told (`on_outbox_retrying`).
NOT_YET = "Ответ пока не опубликован: автоматическая публикация не удалась"


def _draft(row: Any) -> Draft | None:
    match = KEY.match(row.idempotency_key or "")
    if match is None or row.case_id is None:
        return None
    return (
        Draft.objects.select_related("case")
        .filter(pk=int(match["draft"]), case_id=int(match["case"]))
        .first()
    )


def _also_under(row: Any) -> int | None:
    """The message of another author the row answers under, when it is not the case's first one."""
    match = KEY.match(row.idempotency_key or "")
    return int(match["message"]) if match and match["message"] else None


def on_outbox_sent(sender: Any, row: Any, **kwargs: Any) -> None:
    draft = _draft(row)
    if draft is None:
        return
    also = _also_under(row)
    if also is not None:  # recorded on the case; the first message's publication is what closes it
        CaseEvent.objects.create(
            case=draft.case,
            at=row.sent_at or timezone.now(),
            actor=None,
            action="published_also",
            reason=also_reason(also, draft, row.result_url or row.result_external_id),
        )
        return
    try:
        # the answer is in the network: a term past the calendar must not undo that
        with hold_past_calendar():
            confirm_publication(
                None,
                draft,
                url=row.result_url,
                external_id=row.result_external_id,
                method=Publication.Method.API,
                now=row.sent_at or timezone.now(),
            )
    except ActionRefused as exc:  # the case closed while the request was out, or the answer confirmed by hand
        _published_anyway(row, draft, exc)
        return
    except Exception:  # the answer IS in the network: never leave the case without a word about it
        log.exception("outbox %s: publication of draft %s not recorded on the case", row.pk, draft.pk)
        now = timezone.now()
        link = row.result_url or row.result_external_id
        reason = (
            f"Ответ опубликован в сети автоматически ({link}), но Отклик не смог записать публикацию из-за "
            "внутренней ошибки: подтвердите ссылку на странице обращения («Публикации»), повторно не публикуйте"
        )
        _record_and_tell(draft, "api_publish_unrecorded", reason, f"{reason}.", now)
        return
    if row.attempts > 1:
        _published_on_retry(row, draft)


def _published_on_retry(row: Any, draft: Draft) -> None:
    """R-8.7: the first attempt failed and the executor was told she need not wait but may publish by hand
    (`on_outbox_retrying`); the retry has now published the answer. If she did publish it by hand meanwhile and has
    not confirmed the link yet, two copies stand under the author's message: she is told which one is Otklik's.
    Only where she was told of this row's failure: a row retried after its worker died, or another author's reply
    (never announced), leaves her nothing to delete."""
    if _also_under(row) is not None or row.failure_told_at is None:
        return
    now = row.sent_at or timezone.now()
    link = row.result_url or row.result_external_id
    told = (
        f"Обращение № {draft.case_id}: ответ опубликован автоматически при повторной попытке ({link}). Если вы "
        "уже разместили его вручную, удалите свою копию в сети — под сообщением автора не должно быть двух "
        "одинаковых ответов."
    )
    notify(publisher_now(draft.case, draft, now), draft.case, Notification.Kind.WORK, told[:500], now)


def _published_anyway(row: Any, draft: Draft, refused: ActionRefused) -> None:
    """The answer is in the network, but the case cannot take it as its publication any more: the request was out
    when the curator closed the case, or when the executor confirmed a copy by hand. The link goes on the timeline
    and to the person concerned, never only to the log."""
    now = row.sent_at or timezone.now()
    link = row.result_url or row.result_external_id
    case = Case.objects.get(pk=draft.case_id)
    log.warning("outbox %s: draft %s published at %s but not recorded: %s", row.pk, draft.pk, link, refused)
    if Publication.objects.filter(draft=draft).exists():
        reason = (
            f"Ответ опубликован в сети автоматически ({link}), хотя его публикация уже подтверждена вручную: "
            "проверьте ветку — вторую копию ответа удалите"
        )
        _record_and_tell(draft, "confirm_publication", reason, f"{reason}.", now)
        return
    reason = (
        f"Ответ опубликован в сети автоматически ({link}) уже после того, как обращение было закрыто"
        if case.status == Case.Status.CLOSED
        else f"Ответ опубликован в сети автоматически ({link}), но публикация не записана ({refused.message})"
    )
    reason += ": отправка началась до этого и не могла быть отменена; если ответ не нужен, удалите его в сети"
    CaseEvent.objects.create(case=case, at=now, actor=None, action="confirm_publication", reason=reason)
    closed_by = (
        case.events.filter(action="close_case", actor__isnull=False).order_by("-at", "-id").first()
        if case.status == Case.Status.CLOSED
        else None
    )
    who = closed_by.actor if closed_by is not None else publisher_now(case, draft, now)
    notify(who, case, Notification.Kind.WORK, f"Обращение № {case.pk}: {reason}."[:500], now)


@receiver(outbox_retrying, dispatch_uid="cases.publishing.retrying")
def on_outbox_retrying(sender: Any, row: Any, why: str = "", **kwargs: Any) -> None:
    """R-8.7: the first attempt failed and the outbox will try again: the executor (or whoever does their work, R-6)
    learns at once that the answer is not out yet — and may publish it by hand meanwhile, within the 30 minutes
    — and the timeline says since when and why."""
    draft = _draft(row)
    if draft is None or draft.state != Draft.State.APPROVED or draft.case.status == Case.Status.CLOSED:
        return
    now = timezone.now()
    why = textwrap.shorten(why or "сеть временно не ответила", 300, placeholder="…")
    at = f"{timezone.localtime(row.next_attempt_at):%d.%m.%Y %H:%M}" if row.next_attempt_at else "позже"
    also = _also_under(row)
    if also is not None:  # another author's reply: recorded; it is asked by hand only if it fails for good
        CaseEvent.objects.create(
            case=draft.case,
            at=now,
            actor=None,
            action="api_publish_failed",
            reason=f"Ответ под сообщением № {also} пока не опубликован ({why}): следующая попытка — {at}",
        )
        return
    reason = (
        f"{NOT_YET} ({why}), следующая попытка — {at}. "
        "Можно не ждать: опубликуйте ответ вручную и подтвердите ссылку на странице обращения («Публикации») — "
        "тогда автоматически он отправлен не будет"
    )
    _record_and_tell(draft, "api_publish_failed", reason, f"{reason}.", now)
    type(row).objects.filter(pk=row.pk).update(failure_told_at=now)  # read by `_published_on_retry`


def on_outbox_failed(sender: Any, row: Any, **kwargs: Any) -> None:
    draft = _draft(row)
    also = _also_under(row) if draft is not None else None
    if draft is not None and also is not None:
        now = timezone.now()
        message = row.message if row.message_id else None
        if message is not None and message.deleted_at is not None:  # nobody to answer there any more
            CaseEvent.objects.create(
                case=draft.case,
                at=now,
                actor=None,
                action="api_publish_failed",
                reason=f"Сообщение № {also} удалено в сети: ответ под ним не опубликован и не нужен",
            )
            return
        link = message.url if message is not None and message.url else ""
        reason = (
            f"Автоматическая публикация под сообщением № {also} не удалась ({_why(row.last_error)}): "
            f"опубликуйте ответ под ним вручную{': ' + link if link else ''} и подтвердите ссылку на странице "
            "обращения («Публикации»)"
        )
        _record_and_tell(draft, "api_publish_failed", reason, f"{reason}.", now)
        return
    if draft is None or draft.state != Draft.State.APPROVED:
        return
    reason = f"Автоматическая публикация не удалась ({_why(row.last_error)}): опубликуйте ответ вручную"
    _record_and_tell(draft, "api_publish_failed", reason, f"{reason} и подтвердите ссылку.", timezone.now())


def _record_and_tell(draft: Draft, action: str, reason: str, told: str, now: datetime) -> None:
    """What the outbox did with the case's answer: on the case's timeline, and told to whoever publishes it now."""
    CaseEvent.objects.create(case=draft.case, at=now, actor=None, action=action, reason=reason)
    notify(
        publisher_now(draft.case, draft, now),
        draft.case,
        Notification.Kind.WORK,
        f"Обращение № {draft.case_id}: {told}"[:500],
        now,
    )


def _why(last_error: str) -> str:
    """The words for people of an outbox row's error, at most 300 characters, cut between words."""
    return textwrap.shorten(for_people(last_error), 300, placeholder="…")
