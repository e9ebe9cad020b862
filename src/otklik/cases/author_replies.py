"""R-8.4, R-8.8: the author's reply to a clarification request, found as it arrives.

The request is published under the author's message; the author answers there, and the answer comes in with the
next read of the thread like any message. `intake.pipeline.upsert` hands each page's new messages here (beside the
machine annotation) and a message is taken as the author's reply to a case — registered by the system
(`actions.register_author_reply` with no actor: «система» in the timeline), out of the curator's inbox, whoever
drafts told — when all of these hold:

- the case waits for the author («ждёт ответа автора»), or a request of it went out and the answer is now being
  prepared or reviewed, not yet approved (`late_reply_awaited`: a second reply with more details, or one after «без
  уточнения автора», joins the case and whoever works on the answer is told);
- the message is by one of the case's authors: the same network and the same author id, known (not empty), a person
  (not a community or channel, whose id is negative) and not an official account (`Message.is_official`);
- it was written after the request was published: after its `Publication` (confirmed by hand: after the request's
  approval, as it went out before its link was confirmed), or it answers the published request itself;
- it is in the same thread: a reply to the published request (the request's id as the network gave it, or as its
  link reads, `intake.manual.external_id_of`) or to a message of the case, or a comment under the same post;
- the moderation would not exclude it (R-10).

A message that fits several cases is linked to none: it stays in the inbox and the cases' curators are told it may
be the author's reply to them. Nothing here stops the page from being stored: a refusal or an error is logged.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from otklik.analysis.pipeline import excluded
from otklik.intake.models import Message, Network, Outbox
from otklik.intake.text import web_link

from .actions import (
    ALSO,
    LATE_REPLY_STATUSES,
    ActionRefused,
    is_person,
    late_reply_awaited,
    publish_key,
    register_author_reply,
)
from .models import Case, CaseMessage, Draft, Notification, Publication, Review
from .notify import curators_for, notify

log = logging.getLogger(__name__)

S = Case.Status


def link_author_replies(rows: Iterable[tuple[int, str, str]], now: datetime | None = None) -> list[int]:
    """`rows`: (message id, network, author id) of newly stored messages that are not official. Registers each one
    that is the author's reply to exactly one waiting case; tells the curators about one that fits several. Returns
    the ids of the messages linked."""
    people = {pk: (network, author) for pk, network, author in rows if is_person(author)}
    if not people:
        return []
    waiting = _waiting_by_author()
    candidates = {pk: waiting[key] for pk, key in people.items() if key in waiting}
    if not candidates:
        return []
    now = now or timezone.now()
    messages = Message.objects.in_bulk(list(candidates))
    linked: list[int] = []
    for pk in sorted(candidates):
        message = messages.get(pk)
        if message is None or message.is_official:
            continue
        cases = [case for case in candidates[pk] if _answers(case, message)]
        if not cases or excluded(message):  # R-10, as `_check_author_reply` refuses it
            continue
        if len(cases) > 1:
            _tell_curators(message, cases, now)
            continue
        if _link(cases[0], message, now):
            linked.append(pk)
    return linked


def link_stored_replies(case: Case, now: datetime) -> list[int]:
    """The request confirmed by hand a few minutes after it went out (R-8.7: within 30 minutes): an author's reply
    written in those minutes was read while the case was not yet waiting for it, and stayed in the inbox. Once the
    case waits, such stored messages — by its authors, in no case, written since the request went out — are looked
    at again as the new ones are (`link_author_replies`). Returns the ids of the messages linked."""
    publication = _request_published(case)
    if publication is None:
        return []
    authors = Q()
    for network, author in (
        CaseMessage.objects.filter(case=case, is_author_reply=False)
        .values_list("message__network", "message__author_id")
        .distinct()
    ):
        if is_person(author):
            authors |= Q(network=network, author_id=author)
    if not authors:
        return []
    since = _out_since(publication)
    rows = (
        Message.objects.filter(authors, case_link__isnull=True, is_official=False)
        .filter(Q(published_at__gt=since) | Q(published_at__isnull=True, received_at__gt=since))
        .values_list("pk", "network", "author_id")
    )
    return link_author_replies(list(rows), now)


def _waiting_by_author() -> dict[tuple[str, str], list[Case]]:
    """The cases waiting for their author's reply, by each of their authors (network, author id). One query for the
    cases (few: «ждёт ответа автора», or drafting after «без уточнения автора») and one for their authors."""
    cases = Case.objects.in_bulk(
        Case.objects.filter(origin=Case.Origin.CURATOR)
        .filter(
            Q(status=S.AWAITING_AUTHOR)
            | Q(status__in=LATE_REPLY_STATUSES, publications__draft__kind=Draft.Kind.CLARIFICATION)
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    if not cases:
        return {}
    found: dict[tuple[str, str], list[Case]] = defaultdict(list)
    for case_id, network, author in (
        CaseMessage.objects.filter(case_id__in=list(cases), is_author_reply=False)
        .values_list("case_id", "message__network", "message__author_id")
        .distinct()
        .order_by("case_id")
    ):
        if is_person(author) and cases[case_id] not in found[(network, author)]:
            found[(network, author)].append(cases[case_id])
    return dict(found)


def _answers(case: Case, message: Message) -> bool:
    """Whether `message` (by one of the case's authors) is the reply to the case's published clarification request:
    the case still waits for it, it was written after the request went out, and it is in the request's thread."""
    if case.status != S.AWAITING_AUTHOR and not late_reply_awaited(case):
        return False
    publication = _request_published(case)
    if publication is None:
        return False
    request = publication_ids(case, publication, message.network)
    to_request = bool(message.reply_to_external_id) and message.reply_to_external_id in request
    written = message.published_at or message.received_at
    if not to_request and (written is None or written <= _out_since(publication)):
        return False
    return to_request or _same_thread(case, message)


def _request_published(case: Case) -> Publication | None:
    """The publication of the case's latest clarification request."""
    return (
        Publication.objects.filter(case=case, draft__kind=Draft.Kind.CLARIFICATION)
        .select_related("draft")
        .order_by("-published_at", "-id")
        .first()
    )


def _out_since(publication: Publication) -> datetime:
    """From when the request was out in the network: its publication by the API; confirmed by hand, its approval
    (it went out in the minutes before the executor confirmed its link)."""
    if publication.method == Publication.Method.API:
        return publication.published_at
    approved = (
        Review.objects.filter(draft=publication.draft, decision=Review.Decision.APPROVE)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return min(approved, publication.published_at) if approved is not None else publication.published_at


def publication_ids(case: Case, publication: Publication, network: str) -> set[str]:
    """The ids a published draft (the request, or any answer of the case) has in the network: as the API gave them
    (the publication's, the outbox rows' under other authors' messages) and as its links read (confirmed by hand)."""
    from otklik.intake.manual import external_id_of

    ids = {publication.external_id}
    urls = [publication.url]
    key = publish_key(publication.draft)
    for external_id, url in Outbox.objects.filter(
        Q(idempotency_key=key) | Q(idempotency_key__startswith=f"{key}-msg-"), case_id=case.pk
    ).values_list("result_external_id", "result_url"):
        ids.add(external_id)
        urls.append(url)
    kind = publication.draft.get_kind_display()
    for reason in case.events.filter(action="published_also", at__gte=publication.published_at).values_list(
        "reason", flat=True
    ):
        also = ALSO.match(reason)
        if also is not None and also["kind"] == kind:
            urls.append(also["where"])
    for url in urls:
        if web_link(url):
            try:
                ids.add(external_id_of(url, network))
            except ValueError:  # a link that does not read (an unbalanced «[» in the host)
                continue
    ids.discard("")
    return ids


def _same_thread(case: Case, message: Message) -> bool:
    """A reply to a message of the case, or a comment under the same post (stored, or in VK read from the links)."""
    from otklik.integrations.links import vk_post

    own = [m for m in case.messages.all() if m.network == message.network]
    if message.reply_to_id is not None and message.reply_to_id in {m.pk for m in own}:
        return True
    if message.reply_to_external_id and message.reply_to_external_id in {m.external_id for m in own}:
        return True
    if message.post_id is not None and message.post_id in {m.post_id for m in own}:
        return True
    if message.network == Network.VK:
        post = vk_post(message.url or "")
        return post is not None and post in {vk_post(m.url or "") for m in own}
    return False


def _link(case: Case, message: Message, now: datetime) -> bool:
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the page being stored as it is
            register_author_reply(None, case, message, now=now)
    except ActionRefused as exc:
        log.info(
            "message %s reads as the author's reply to case %s but is not linked: %s",
            message.pk,
            case.pk,
            exc,
        )
        return False
    except Exception:
        log.exception("message %s: linking it to case %s as the author's reply failed", message.pk, case.pk)
        return False
    log.info(
        "message %s linked to case %s as the author's reply to its clarification request", message.pk, case.pk
    )
    return True


def _tell_curators(message: Message, cases: list[Case], now: datetime) -> None:
    """The message fits several waiting cases: none is chosen for the curator, who is told which they are."""
    numbers = ", ".join(f"№ {c.pk}" for c in cases)
    who = message.author_name or f"автор с id {message.author_id}"
    text = (
        f"Сообщение № {message.pk} ({who}) может быть ответом автора на запрос по обращениям {numbers}: оно подходит "
        "к нескольким, поэтому к обращению не добавлено и осталось во входящих. Если это ответ, добавьте его на "
        "странице нужного обращения («Добавить ответ автора на запрос»)."
    )
    told: set[int] = set()
    for case in cases:
        for curator in curators_for(case, now):
            if curator.pk not in told:
                told.add(curator.pk)
                notify(curator, case, Notification.Kind.WORK, text, now)
    log.info("message %s may be the author's reply to cases %s: left in the inbox", message.pk, numbers)
