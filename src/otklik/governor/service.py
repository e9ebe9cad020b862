"""The R-7 machinery: watches of the Governor's posts, the comment triage and the R-7.4 check runs.

- `open_watches`: every Governor's post (`Post.is_governor`, set by ingestion for sources marked
  `is_governor`) gets a `Watch`: the first window ends `add(post, gov_first_window)` (R-7.2) and the checks
  are `schedule_checks(first_window_end, gov_check_every, gov_watch_span)` (R-7.4).
  "Two days" (двое суток) in working time is taken as two standard working days of the 40-hour week,
  2 × 8 h = 960 working minutes (the `gov_watch_span` policy row), i.e. 8 checks every 2 working hours; all in
  the default schedule and production calendar (`worktime_for(None)`), because the post is the Governor's,
  not any one body's.
- `process_comments`: each new comment is analysed (moderation, topic, body, place: `analysis.pipeline`); a
  blocked one is kept but excluded (R-10); the author's reply to an interim answer restarts the clock (R-7.3);
  a question (`questions.detect`) goes straight to the competent body as a governor-post case (R-7.1) with its
  `gov_answer` deadline from the post (first window) or from the comment (after it); the rest is kept.
- `run_checks`: at each due check moment read the post's comments through its source's connector (a VK post's
  own comments directly: it may no longer be among the wall's newest posts), triage, and record the check: done
  when the post's comments were read before the next check moment, missed otherwise (R-7.4); a post deleted in
  the network stops its checks.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case as SqlCase
from django.db.models import CharField, F, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Left
from django.utils import timezone

from otklik.analysis.failures import attempts_so_far
from otklik.analysis.models import Decision, Kind, Suggestion
from otklik.analysis.pipeline import annotate_message, is_blocked, latest
from otklik.cases import policy
from otklik.cases.actions import ActionRefused, body_ids_of, doer, with_substitute
from otklik.cases.models import Assignment, Case, CaseEvent, Deadline, Draft, Notification
from otklik.cases.notify import notify
from otklik.intake.models import Message, Post, Source
from otklik.org.models import Body, Competence, Person
from otklik.worktime.calendar import CalendarRangeError
from otklik.worktime.engine import WorkTime
from otklik.worktime.service import worktime_for

from . import actions, questions
from .models import Check, Comment, Watch

log = logging.getLogger(__name__)

# `Comment.triaged_text` of a comment triaged while its analysis had failed: never a comment's text, so the checks
# (`process_comments`) take it up again, and `_triage` triages it anew once the analysis's retry has succeeded.
ANALYSIS_PENDING = "[otklik: analysis pending]"


# ---------------------------------------------------------------------------------------------- watches
def first_read(post: Post, now: datetime) -> datetime:
    """When Otklik first read the post: the earliest of its storing (`Post.stored_at`: ingest may store it while
    the worker that opens watches is down) and the receipt of anything under it (its comments, the post itself
    delivered as a message); never later than now."""
    earliest = Message.objects.filter(
        Q(post=post) | Q(network=post.network, external_id=post.external_id)
    ).aggregate(at=Min("received_at"))["at"]
    return min(t for t in (now, earliest, post.stored_at) if t is not None)


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"


def open_watch(post: Post, now: datetime | None = None) -> Watch:
    """R-7.2, R-7.4: the first window and the check schedule of a Governor's post, in working time.

    Deadlines and checks never start before Otklik could see the post (`first_read`; a community registered as
    a source brings all its old posts, pinned ones included, and an outage delays reading):
    - read after its whole R-7.4 span had ended: history, no checks and no deadlines (`Watch.Mode.HISTORY`);
    - read late within its span: watched; the checks whose time (until the next check's moment) had run out
      are `Check.State.UNSEEN`, not missed (the one whose time was still running is done by the run), and the
      questions' deadlines count from the first read at the earliest (`Watch.question_start`);
    - dates the production calendar cannot count (a pinned post from before its first year): logged and left
      without checks or deadlines (`Watch.Mode.OUT_OF_CALENDAR`), the page says why; other posts go on."""
    existing = Watch.objects.filter(post=post).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    started = post.published_at or now
    read = first_read(post, now)
    wt = worktime_for(None)
    every = policy.minutes("gov_check_every")
    span = policy.minutes("gov_watch_span")
    fields = {
        "post": post,
        "started_at": started,
        "every_minutes": every,
        "span_minutes": span,
        "opened_at": now,
        "first_read_at": read,
    }
    try:
        first_end = wt.add(started, policy.minutes("gov_first_window"))
        moments = wt.schedule_checks(first_end, every, span)
        graces = [*moments[1:], wt.add(moments[-1], every)] if moments else []
    except CalendarRangeError as exc:
        log.warning(
            "governor post %s (%s %s, published %s, first read %s): no checks or deadlines, "
            "the production calendar cannot count its dates: %s",
            post.pk,
            post.network,
            post.external_id,
            started.isoformat(),
            read.isoformat(),
            exc,
        )
        note = (
            f"Проверки и сроки для поста не назначены: его даты (опубликован {_when(started)}) вне "
            f"производственного календаря ({wt.calendar.first_year}–{wt.calendar.last_year} гг.), рабочее время "
            "для них не посчитать. Комментарии сохранены и показаны ниже."
        )
        return Watch.objects.create(mode=Watch.Mode.OUT_OF_CALENDAR, note=note[:500], **fields)
    if read > (moments[-1] if moments else first_end):
        note = (
            f"Пост опубликован {_when(started)}, до того как Отклик начал за ним наблюдать (впервые прочитан "
            f"{_when(read)}, когда двое рабочих суток проверок уже прошли): проверки и сроки ответов не "
            "назначены. Комментарии сохранены и показаны ниже."
        )
        return Watch.objects.create(
            mode=Watch.Mode.HISTORY, first_window_end=first_end, note=note[:500], **fields
        )
    note = ""
    if read > first_end:
        note = (
            f"Отклик впервые прочитал пост {_when(read)}, после первых двух рабочих часов: проверки, чьё время "
            "прошло раньше, не требовались, а сроки ответов на вопросы считаются не раньше этого момента."
        )
    unseen = f"время проверки прошло до того, как Отклик впервые прочитал пост ({_when(read)})"
    with transaction.atomic():
        watch = Watch.objects.create(first_window_end=first_end, note=note, **fields)
        Check.objects.bulk_create(
            Check(watch=watch, number=i, due_at=due, grace_until=grace)
            if grace > read
            else Check(
                watch=watch, number=i, due_at=due, grace_until=grace, state=Check.State.UNSEEN, note=unseen
            )
            for i, (due, grace) in enumerate(zip(moments, graces, strict=True), start=1)
        )
    return watch


def open_watches(now: datetime | None = None) -> int:
    """Open a watch for every Governor's post that has none yet; one post that cannot be opened is logged
    and does not stop the others (it is tried again by the next run)."""
    posts = Post.objects.filter(is_governor=True, watch__isnull=True).order_by("published_at", "id")
    count = 0
    for post in posts:
        try:
            with transaction.atomic():  # a failed statement must not break the run's connection
                open_watch(post, now)
        except Exception:
            log.exception(
                "governor post %s (%s %s): the watch was not opened", post.pk, post.network, post.external_id
            )
            continue
        count += 1
    return count


def move_checks(old_engine: Callable[[Any], WorkTime], reason: str, now: datetime, **_: Any) -> int:
    """R-7.4 after a correction of the production calendar (`worktime.recount.calendar_changed`): the checks still
    due under a watched post are counted again on the current calendar, each `every_minutes` of working time after
    the one before, from the last check already run (done, missed or not required: history, as it was) or, before
    any, from the first window's end. That end moves only while it is still ahead (the comments before it have been
    triaged by it), with the window as long in working time as it was counted (`old_engine`: the calendar before the
    change). A check whose time, by the corrected calendar, ran out before the correction was made is not required
    (`UNSEEN`): nobody could have done it then. Each moved check says from when. Returns how many moved."""
    old, new = old_engine(None), worktime_for(None)
    moved = 0
    watches = Watch.objects.filter(
        mode=Watch.Mode.WATCHED, post_deleted_at__isnull=True, first_window_end__isnull=False
    ).filter(checks__state=Check.State.DUE)
    for watch in watches.distinct().prefetch_related("checks").order_by("pk"):
        checks = sorted(watch.checks.all(), key=lambda c: c.number)
        run = [c for c in checks if c.state != Check.State.DUE]
        base_number = run[-1].number if run else 0
        ahead = [c for c in checks if c.number > base_number]
        first_end_was = watch.first_window_end
        assert first_end_was is not None  # filtered above
        first_end = first_end_was
        try:
            if first_end_was > now:
                first_end = new.add(watch.started_at, old.between(watch.started_at, first_end_was))
            base = run[-1].due_at if run else first_end
            every = watch.every_minutes
            moments = [new.add(base, (c.number - base_number) * every) for c in ahead]
            graces = [*moments[1:], new.add(moments[-1], every)] if moments else []
        except ValueError as exc:  # outside every loaded year: left as they were, and said in the log
            log.error("checks of governor post watch %s not recounted (%s): %s", watch.pk, reason, exc)
            continue
        with transaction.atomic():
            if first_end != first_end_was:
                Watch.objects.filter(pk=watch.pk).update(first_window_end=first_end)
            for check, due, grace in zip(ahead, moments, graces, strict=True):
                if due == check.due_at:  # only its time may run longer or shorter (the next one moved)
                    if grace != check.grace_until:
                        Check.objects.filter(pk=check.pk).update(grace_until=grace)
                    continue
                fields: dict[str, Any] = {"due_at": due, "grace_until": grace}
                if grace <= now:
                    fields["state"] = Check.State.UNSEEN
                    note = (
                        f"не требовалась: по исправленному календарю её время ({_when(due)} – {_when(grace)}) "
                        f"прошло до исправления; была назначена на {_when(check.due_at)}; {reason}"
                    )
                else:
                    note = f"перенесена с {_when(check.due_at)}: {reason}"
                Check.objects.filter(pk=check.pk).update(note=note[:500], **fields)
                log.info(
                    "check %s of governor post watch %s moved from %s to %s%s: %s",
                    check.number,
                    watch.pk,
                    timezone.localtime(check.due_at).isoformat(),
                    timezone.localtime(due).isoformat(),
                    " (its time already over: not required)" if grace <= now else "",
                    reason,
                )
                moved += 1
    return moved


# ---------------------------------------------------------------------------------------------- triage
def _routed_bodies(message: Message) -> list[Body]:
    """The competent bodies, the first one leading: a person's decision on the message if any (every body it
    names), else the machine's suggestion: the most probable body of each topic the analysis routed the comment
    by (a comment that asks two things has two strong topics, `analysis.routing.topics_to_route`); bodies a
    topic merely shares with the first one are not added, nor any for a topic a body already answering is competent
    for (`_answers_topic`)."""
    decision = Decision.objects.filter(message=message, kind=Kind.BODY).order_by("-decided_at", "-id").first()
    value = decision.value if decision is not None else None
    by_topic = False
    if value is None:
        suggestion = (
            Suggestion.objects.filter(message=message, kind=Kind.BODY).order_by("-created_at", "-id").first()
        )
        value = suggestion.value if suggestion is not None else None
        by_topic = True
    rows: list[Any] = list((value or {}).get("bodies", []))
    bodies: list[Body] = []
    topics: set[str] = set()
    for row in rows:
        if not isinstance(row, dict):
            continue
        topic = str(row.get("topic") or "")
        if by_topic and bodies and (not topic or topic in topics or _answers_topic(bodies, topic, message)):
            continue
        body_id = row.get("body_id")
        body = Body.objects.filter(pk=body_id, is_active=True).first() if isinstance(body_id, int) else None
        if body is None or body in bodies:
            continue
        bodies.append(body)
        topics.add(topic)
        if by_topic and not topic:
            break  # an old suggestion without topics: its first body only, as before
    return bodies


def _answers_topic(bodies: list[Body], topic: str, message: Message) -> bool:
    """Whether a body already answering is competent for the topic too (the analysis lists each body once,
    under its most probable topic, so a second topic's row names another body even then): oblast-wide or for
    the comment's municipal formation as the analysis placed it, as `analysis.routing.route` matches them."""
    where = Q(municipality__isnull=True)
    place = Suggestion.objects.filter(message=message, kind=Kind.PLACE).order_by("-created_at", "-id").first()
    municipality_id = (place.value or {}).get("municipality_id") if place is not None else None
    if isinstance(municipality_id, int):
        where |= Q(municipality_id=municipality_id)
    return Competence.objects.filter(
        where, body__in=bodies, topic__name=topic, topic__is_active=True
    ).exists()


def _awaiting_case(message: Message) -> Case | None:
    """R-7.3: an interim answer by a body is waiting for this author's details under the same post (with several
    bodies on the question, another body may still be drafting its answer meanwhile), and the comment was written
    after that answer could be in the network."""
    if not message.author_id or message.post_id is None:
        return None
    for case in actions.open_questions_of(message):
        if any(actions.awaits_details(a, message.published_at) for a in actions.parts_of(case)):
            return case
    return None


def triage(watch: Watch, message: Message, now: datetime) -> Comment:
    """Analyse one comment and put it where it belongs (R-7.1 … R-7.3, R-10)."""
    return _triage(watch, message, now)[0]


@transaction.atomic
def _triage(watch: Watch, message: Message, now: datetime) -> tuple[Comment, bool]:
    """`triage`, and whether this call triaged the comment (False: it already was, with its present text, or it
    is in a case already: the case keeps it and shows its new text)."""
    # Two runs of the checks (or a check and `ingest`) at once: the message row is locked, so the second one
    # waits and then finds the first one's comment instead of registering the author's details a second time.
    Message.objects.select_for_update().filter(pk=message.pk).values_list("pk", flat=True).first()
    existing = Comment.objects.filter(message=message).first()
    if existing is not None:
        message.refresh_from_db(fields=["text", "text_raw"])
        if existing.case_id is not None or existing.triaged_text == message.text:
            return existing, False
        if existing.triaged_text == ANALYSIS_PENDING:
            if attempts_so_far(
                message
            ):  # its analysis has not succeeded yet: the retry (`failures`) comes first
                return existing, False
            log.info(
                "governor comment %s (message %s) triaged again: its analysis succeeded",
                existing.pk,
                message.pk,
            )
            return _analyse(watch, message, now, existing, again=True, analysed=True), True
        returned = _returned(existing, message)
        # The author edited the comment («Спасибо» into a question), or the curator returned one the moderation
        # excluded: analysed again.
        log.info(
            "governor comment %s (message %s) triaged again: %s since %s",
            existing.pk,
            message.pk,
            "returned by a curator" if returned else "its text changed",
            existing.processed_at.isoformat(),
        )
        return _analyse(watch, message, now, existing, again=returned), True
    return _analyse(watch, message, now, existing), True


def _returned(existing: Comment, message: Message) -> bool:
    """R-10: the comment was excluded by the moderation and a curator has since returned it to work (the latest
    moderation decision on it says «not blocked»): its text was there since it was written, unlike an edit."""
    if existing.kind != Comment.Kind.BLOCKED:
        return False
    decision = latest(message, Decision, Kind.MODERATION)
    return decision is not None and not (decision.value or {}).get("blocked", True)


def _analyse(
    watch: Watch,
    message: Message,
    now: datetime,
    existing: Comment | None = None,
    *,
    again: bool = False,
    analysed: bool = False,
) -> Comment:
    """Triage a comment; `existing`: the comment's earlier triage, whose text the author has since edited
    (its deadlines then count from now at the earliest: the question was not there before). `again`: the text is
    the one written at first, triaged anew for another reason (a curator returned it from the moderation's
    exclusion, or the question it repeated is gone from the network): its deadlines count from now at the
    earliest too (nobody was to answer it before), but whether it was written within the post's two days of
    checks is decided by when it was written. `analysed`: the message's latest analysis stands (not run again).

    A comment whose analysis failed (`analysis.failures`: moderated, no topic or body) is saved as the detector sees
    it, with no body — counted «Без органа» where the bodies and the curators look — and its triaged text is
    `ANALYSIS_PENDING`, so that the checks triage it again, routed to its body, once the analysis's retry succeeds.
    """
    pending = False

    def save(**fields: Any) -> Comment:
        fields["triaged_text"] = ANALYSIS_PENDING if pending else message.text
        if existing is None:
            return Comment.objects.create(watch=watch, message=message, processed_at=now, **fields)
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save(update_fields=[*fields])
        return existing

    published = message.published_at or now
    in_first = watch.first_window_end is not None and published <= watch.first_window_end
    if message.is_official:  # a body's own answer or an official account: nobody's work, and not analysed
        return save(
            in_first_window=in_first, kind=Comment.Kind.OTHER, reason="официальный аккаунт", body=None
        )
    if not analysed and (existing is not None or not Suggestion.objects.filter(message=message).exists()):
        annotate_message(message)  # an edited text is analysed anew (moderation, topic, body, place)
    pending = bool(attempts_so_far(message))
    common = {"in_first_window": in_first, "body": None, "case": None}
    if is_blocked(message):
        return save(**{**common, "kind": Comment.Kind.BLOCKED, "reason": "исключено модерацией"})
    # Never before Otklik could see it: the post first read late, or the question written in by an edit. A comment
    # that was a question already (one no body has yet) keeps when it was asked: the author only touched it up
    # (decision 0002), so it stays within the post's two days and «Без органа».
    written_in = existing is not None and existing.kind != Comment.Kind.QUESTION
    seen = now if written_in else watch.first_read_at
    started = watch.question_start(published)
    if seen is not None and started < seen:
        started = seen
    verdict = questions.detect(message.text or message.text_raw)
    bodies = _routed_bodies(message)
    asked = {b.pk for b in bodies}

    def for_another_body(case: Case) -> bool:
        """R-7.3 with R-7.2: the author's question for a body other than those answering `case` is a question of
        its own, not the details `case` asked for (decision 0002)."""
        return verdict.is_question and bool(asked) and not asked & {a.body_id for a in actions.parts_of(case)}

    waiting = _awaiting_case(message)
    if waiting is not None and for_another_body(waiting):
        waiting = None
    if waiting is not None:
        arrived = published if seen is None or published >= seen else seen
        actions.register_clarification(waiting, message, now=now, arrived=arrived)
        return save(
            **{
                **common,
                "kind": Comment.Kind.CLARIFICATION,
                "reason": "ответ автора на уточнение",
                "case": waiting,
            }
        )
    # with: the author's further comments continue the details («Адрес: Соборная, 5. Этого
    # достаточно?» too); a question for another body than those answering is a question of its own
    continued = actions.details_continue(message)
    if continued is not None and for_another_body(continued):
        continued = None
    if continued is not None:
        # the author's details in several comments: each further one joins the first in the question's card
        actions.add_details(continued, message, now=now)
        return save(
            **{
                **common,
                "kind": Comment.Kind.CLARIFICATION,
                "reason": "продолжение ответа автора на уточнение",
                "case": continued,
            }
        )
    body = bodies[0] if bodies else None
    if not verdict.is_question:
        return save(**{**common, "kind": Comment.Kind.OTHER, "reason": verdict.reason, "body": body})
    original = _copy_of(watch, message)
    if original is not None:
        # The same words again from the same author while the first is still waiting for its answer (a form sent
        # twice, or written again for want of an answer): one question, answered once, with one term.
        whose = f"вопрос № {original.case_id}" if original.case_id is not None else "вопрос ещё без органа"
        when = _when(original.message.published_at) if original.message.published_at else "ранее"
        reason = f"повтор комментария того же автора от {when} ({whose}): отвечают на первый"
        return save(**{**common, "kind": Comment.Kind.REPEAT, "reason": reason[:300], "body": body})
    end = watch.span_end()
    appeared = watch.question_start(published) if again else started
    # a comment cannot be written after the triage's moment: a network's clock ahead of ours does not count
    if end is not None and min(appeared, now) > end:
        # R-7.4 («в течение двух суток»): clause 7 has the bodies watch the post for two days; a question that
        # appears after them is shown on the post page for a body to take if it sees fit, with no R-7 term and
        # so no violation (as the comments of a post read only after its two days, `Watch.Mode.HISTORY`).
        reason = (
            f"{verdict.reason}; написан после двух суток наблюдения за постом (п. 7.4, до {_when(end)}): срок "
            "ответа не назначен, орган может взять вопрос в работу"
        )
        return save(**{**common, "kind": Comment.Kind.AFTER_WATCH, "reason": reason[:300], "body": body})
    case = None
    reason = verdict.reason
    if body is not None:
        try:
            case = actions.open_question(
                message, body, started_at=started, now=now, reason=verdict.reason, also=bodies[1:]
            )
        except ActionRefused as exc:  # e.g. nobody in the body yet: kept, visible, any body may take it
            reason = f"{verdict.reason}; {exc.message}"[:300]
    return save(**{**common, "kind": Comment.Kind.QUESTION, "reason": reason, "body": body, "case": case})


def _words(text: str) -> str:
    return " ".join((text or "").lower().replace("ё", "е").split())


def _attached(message: Message) -> list[str]:
    """The message's attachments as the network described them, in a comparable form (order aside)."""
    rows = message.attachments if isinstance(message.attachments, list) else []
    return sorted(json.dumps(a, sort_keys=True, ensure_ascii=False) for a in rows)


def _said(message: Message) -> tuple[str, list[str]]:
    """What a comment says, for telling a copy (R-7.2): its words (case, «ё» and spaces aside) and its attachments
    (the same words under another photo ask about another place)."""
    return _words(message.text or message.text_raw), _attached(message)


def _copy_of(watch: Watch, message: Message) -> Comment | None:
    """R-7.2: an earlier question of the same author under the same post in the same words (case, «ё» and spaces
    aside) and with the same attachments (the same words under another photo ask about another place) that is
    in work, waiting for its answer, and is still in the network. A copy of one with no body yet is a question «Без
    органа» too: both are where the office looks, and a deleted first one leaves the copy there. One answered
    already is not: the same words after the answer ask again (a repeat, R-8.10), and are a question of their
    own; nor is one deleted in the network (by its author or a moderator): there is nothing to answer under it,
    and the comment left is the question."""
    said = _said(message)
    if not message.author_id or not said[0]:
        return None
    earlier = (
        Comment.objects.filter(
            watch=watch,
            kind=Comment.Kind.QUESTION,
            message__author_id=message.author_id,
            message__network=message.network,
            message__deleted_at__isnull=True,
        )
        .filter(case__status__in=Case.OPEN_STATUSES)
        .exclude(message=message)
        .select_related("message")
        .order_by("message__published_at", "id")
    )
    if message.published_at is not None:
        earlier = earlier.filter(message__published_at__lte=message.published_at)
    return next((c for c in earlier if _said(c.message) == said), None)


def retriage_copies(case: Case, now: datetime) -> int:
    """R-7.2: the question `case` was ended because its comment is gone from the network (`close_withdrawn`, or a
    person's «ответ не нужен» for a deleted comment): the same author's comments kept as its «повтор» that are
    still in the network are the question now, and are triaged again. Their terms count from now (nobody was to
    answer them before); whether they fall within the post's two days of checks is decided by when they were
    written. The first of them becomes the question, any later one its «повтор». Returns how many were triaged."""
    original = question_message(case)
    if original.post_id is None or not original.author_id:
        return 0
    watch = Watch.objects.filter(post_id=original.post_id, post_deleted_at__isnull=True).first()
    if watch is None:
        return 0
    said = _said(original)
    copies = (
        Comment.objects.filter(
            watch=watch,
            kind=Comment.Kind.REPEAT,
            case__isnull=True,
            message__author_id=original.author_id,
            message__network=original.network,
            message__deleted_at__isnull=True,
        )
        .select_related("message")
        .order_by("message__published_at", "id")
    )
    count = 0
    for copy in copies:
        if _said(copy.message) != said:
            continue
        with transaction.atomic():
            Message.objects.select_for_update().filter(pk=copy.message_id).values_list(
                "pk", flat=True
            ).first()
            copy.refresh_from_db()
            if copy.kind != Comment.Kind.REPEAT or copy.case_id is not None:
                continue
            log.info(
                "governor comment %s: its original (question %s) is gone, triaged again", copy.pk, case.pk
            )
            _analyse(watch, copy.message, now, copy, again=True)
        count += 1
    return count


WITHDRAWN = "комментарий удалён автором в сети"


def reopen_restored(now: datetime | None = None) -> int:
    """R-7.2: a question ended by itself because its author deleted the comment (`close_withdrawn`) whose comment is
    in the network again (VK's «Восстановить»: the deletion mark is cleared, `intake.pipeline.clear_deleted`) asks
    again: its parts are in work again with a new 2-working-hour term from now, their executors told
    (`actions.reopen_restored`). A question a person ended, or answered since, is left as it is."""
    now = now or timezone.now()
    # the case's latest event is the machine's «ответ не нужен» for a withdrawn comment: filtered in the query, so
    # questions reopened and answered since are not read again on every run of the checks
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-id")
    candidates = (
        Case.objects.filter(
            origin=Case.Origin.GOVERNOR_POST,
            status=Case.Status.CLOSED,
            case_messages__is_author_reply=False,
            case_messages__message__deleted_at__isnull=True,
        )
        .annotate(
            last_action=Subquery(last.values("action")[:1]),
            last_actor=Subquery(last.values("actor_id")[:1]),
            last_reason=Subquery(last.values("reason")[:1]),
        )
        .filter(last_action="gov_not_needed", last_actor__isnull=True, last_reason__contains=WITHDRAWN)
        .distinct()
        .order_by("id")
    )
    reopened = 0
    for case in candidates:
        restored = question_message(case)
        if restored.deleted_at is not None:
            continue
        copy = _answered_copy(case, restored)
        if copy is not None:  # the same question was taken up through its copy meanwhile: not a second time
            log.info("governor question %s: restored, not reopened: its copy is case %s", case.pk, copy)
            continue
        try:
            actions.reopen_restored(case, "автор восстановил комментарий в сети", now=now)
        except ActionRefused as exc:
            log.info("governor question %s: not reopened after its restoring: %s", case.pk, exc.message)
            continue
        reopened += 1
    return reopened


def _answered_copy(case: Case, message: Message) -> int | None:
    """The case of a comment by the same author under the same post in the same words and attachments that became
    the question while this one was deleted (`retriage_copies`), if any."""
    said = _said(message)
    if not message.author_id or not said[0] or message.post_id is None:
        return None
    for c in (
        Comment.objects.filter(
            message__post_id=message.post_id,
            message__author_id=message.author_id,
            message__network=message.network,
            case__isnull=False,
        )
        .exclude(case=case)
        .select_related("message")
    ):
        if _said(c.message) == said:
            return c.case_id
    return None


def close_withdrawn(now: datetime | None = None) -> int:
    """R-7.2: a question whose comment its author deleted in the network (as the network says: VK names the
    author as the deleter) needs no answer — there is nobody to answer under it: it is ended «ответ не нужен»
    (`actions.end_question`), its running terms closed without a violation. A comment deleted by somebody else
    (a community moderator) or gone without a word of who deleted it is left to the body's head or a curator."""
    now = now or timezone.now()
    withdrawn = (
        case
        for case in _open_questions(case_messages__message__deleted_at__isnull=False)
        if (message := question_message(case)).deleted_at is not None and message.deleted_by_author
    )
    return _end_each(withdrawn, WITHDRAWN, "after its deletion", now)


def _open_questions(**where: Any) -> QuerySet[Case]:
    """The questions under the Governor's posts still in work whose comment (not an author's reply) matches."""
    return (
        Case.objects.filter(
            origin=Case.Origin.GOVERNOR_POST,
            status__in=Case.OPEN_STATUSES,
            case_messages__is_author_reply=False,
            **where,
        )
        .distinct()
        .order_by("id")
    )


def _end_each(cases: Iterable[Case], reason: str, after: str, now: datetime) -> int:
    """End each question «ответ не нужен» with `reason` (`actions.end_question`); one a person changed meanwhile is
    left for the next run. Returns how many were ended."""
    ended = 0
    for case in cases:
        try:
            actions.end_question(case, None, reason, now=now)
        except ActionRefused as exc:  # e.g. changed by a person meanwhile: the next run looks again
            log.info("governor question %s: not ended %s: %s", case.pk, after, exc.message)
            continue
        ended += 1
    return ended


def process_comments(now: datetime | None = None, watch: Watch | None = None) -> int:
    """Triage every comment under watched Governor's posts that has not been triaged yet, and again every one
    whose text the author edited since it was triaged and that is not in a case yet. The comments of a post
    Otklik saw only after its watch span (`Watch.Mode.HISTORY`) or whose dates the calendar cannot count are
    kept and shown on its page, not triaged: no deadlines."""
    now = now or timezone.now()
    # Replies in a thread are comments too (an author's details come as a reply to the body's answer).
    edited = Q(governor_comment__isnull=False, governor_comment__case__isnull=True) & ~Q(
        governor_comment__triaged_text=F("text")
    )
    # a post an administrator unticked «пост Губернатора» on is not the Governor's any more: its new comments are the
    # curator's (`cases.inbox`), not triaged here
    qs = Message.objects.filter(
        Q(governor_comment__isnull=True) | edited,
        post__watch__mode=Watch.Mode.WATCHED,
        post__is_governor=True,
    )
    if watch is not None:
        qs = qs.filter(post=watch.post)
    count = 0
    for message in qs.select_related("post__watch", "source").order_by("published_at", "id"):
        post = message.post
        assert post is not None  # filtered on post__watch
        if message.external_id == post.external_id:
            continue  # the post itself when a network delivers it as a message
        if _is_our_reply(message):
            continue
        try:
            _, triaged = _triage(Watch.objects.get(post=post), message, now)
        except IntegrityError:  # another worker triaged it at the same moment: once is enough
            continue
        count += triaged
    return count


def _is_our_reply(message: Message) -> bool:
    """An answer the bodies published through the connectors comes back with the next fetch: not a comment."""
    from otklik.cases.models import Publication

    return Publication.objects.filter(network=message.network, external_id=message.external_id).exists()


def unrouted_questions() -> QuerySet[Comment]:
    """R-7.1, R-7.2: questions under the Governor's watched posts that no body has — no competent body was found,
    or the one found could not take it (nobody in it yet). The bodies watch the posts themselves (7.2): one of
    them takes such a question («Взять в работу»), or a curator sends it to one (`route_comment`) or finds it needs
    no body's answer (`dismiss_question`); until then it is counted where they look."""
    return Comment.objects.filter(
        kind=Comment.Kind.QUESTION,
        case__isnull=True,
        watch__mode=Watch.Mode.WATCHED,
        watch__post__is_governor=True,
        watch__post_deleted_at__isnull=True,
        message__deleted_at__isnull=True,
    )


@transaction.atomic
def take_comment(comment: Comment, actor: Person, body: Body, now: datetime | None = None) -> Case:
    """R-7.1: a body takes a comment: one routed to another body, or one nobody was given (not a question by
    the detector, or no competent body found). The comment is locked: a curator routing it at the same moment
    (`route_comment`) waits and then finds it taken."""
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().select_related("watch", "message").get(pk=comment.pk)
    if comment.case_id is not None:
        case = Case.objects.get(pk=comment.case_id)
        actions.take_question(case, actor, body, now=now)
        return case
    if body.pk not in body_ids_of(actor):
        raise ActionRefused("Взять комментарий может сотрудник этого органа.", "forbidden")
    _refuse_deleted(comment)
    started = comment.watch.question_start(comment.message.published_at or now)
    if comment.kind == Comment.Kind.AFTER_WATCH:
        # written after the two days of checks: no term ran before the body took it up; its own 2 working
        # hours count from taking it, as for a body joining a question late (`actions.join_question`)
        started = now
    elif comment.kind in (Comment.Kind.REPEAT, Comment.Kind.OTHER):
        # a «повтор» or a comment not taken for a question had no term: a body taking it after the term it would
        # have had ran out gets its own 2 working hours from taking it, as a body joining a question late does
        started = actions.start_or_now(started, body, "gov_answer", now)
    case = actions.open_question(
        comment.message, body, started_at=started, now=now, actor=actor, reason="взят органом"
    )
    Comment.objects.filter(pk=comment.pk).update(case=case)
    return case


def _refuse_deleted(comment: Comment) -> None:
    """R-7.2, R-12: no answer can be published under a comment deleted in the network: taking it would open a
    term nobody can meet."""
    if comment.message.deleted_at is not None:
        raise ActionRefused(
            "Комментарий удалён в сети: ответ под ним не опубликовать, брать его в работу не нужно.",
            "deleted",
        )


def _unrouted(comment: Comment, actor: Person) -> None:
    if not actor.is_curator:
        raise ActionRefused(
            "Направить вопрос органу или отметить, что ответ органа не нужен, может куратор.", "forbidden"
        )
    if comment.case_id is not None or comment.kind != Comment.Kind.QUESTION:
        raise ActionRefused("Этот комментарий уже не вопрос без органа: обновите страницу.", "taken")


@transaction.atomic
def route_comment(comment: Comment, actor: Person, body: Body, now: datetime | None = None) -> Case:
    """R-7.1, R-7.2: a question no body has (`unrouted_questions`) sent by a curator to the body whose competence it
    is; its 2 working hours count as for a question routed on arrival (from the post or the comment)."""
    now = now or timezone.now()
    comment = Comment.objects.select_for_update().select_related("watch", "message").get(pk=comment.pk)
    _unrouted(comment, actor)
    _refuse_deleted(comment)
    started = comment.watch.question_start(comment.message.published_at or now)
    case = actions.open_question(
        comment.message, body, started_at=started, now=now, actor=actor, reason="направлен куратором"
    )
    Comment.objects.filter(pk=comment.pk).update(case=case, body=body)
    return case


@transaction.atomic
def dismiss_question(comment: Comment, actor: Person, reason: str, now: datetime | None = None) -> Comment:
    """A question no body has that a curator finds needs no body's answer (the detector took a remark for a
    question, or it is answered in the post itself): kept among the post's other comments with why and by whom."""
    reason = " ".join(reason.split())
    if not reason:
        raise ActionRefused("Напишите, почему ответ органа не нужен.", "reason")
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    _unrouted(comment, actor)
    comment.kind = Comment.Kind.OTHER
    comment.reason = f"ответ органа не нужен: {reason} (куратор {actor})"[:300]
    comment.save(update_fields=["kind", "reason"])
    log.info("governor comment %s dismissed by %s: %s", comment.pk, actor.pk, reason)
    return comment


# ----------------------------------------------------------------------------------------------
@dataclass
class CheckReport:
    watches: int = 0
    done: int = 0
    missed: int = 0
    new_comments: int = 0
    errors: int = 0
    stopped: int = 0
    withdrawn: int = 0
    restored: int = 0
    post_gone: int = 0


def _fetch(source: Source | None) -> str:
    if source is None or not source.is_active:
        return "нет активного источника"
    from otklik.intake.pipeline import run_source

    report = run_source(source)
    return report.error


@dataclass
class PostRead:
    """What a check's read of the watched post found: `error` — why its comments were not read ("" when they were);
    `deleted` — the network says the post is gone."""

    error: str = ""
    deleted: bool = False


def _watches_awaiting_details() -> QuerySet[Watch]:
    """The watched Governor's posts with a question one of whose bodies waits for the author's details after its
    interim answer (R-7.3, `actions.part_phase`)."""
    cases = (
        Case.objects.filter(
            origin=Case.Origin.GOVERNOR_POST,
            status__in=Case.OPEN_STATUSES,
            drafts__kind=Draft.Kind.INTERIM,
            drafts__state=Draft.State.PUBLISHED,
        )
        .distinct()
        .only("id")
    )
    waiting = [
        c.pk
        for c in cases
        if any(actions.part_phase(a) == Case.Status.AWAITING_AUTHOR for a in actions.parts_of(c))
    ]
    watch_ids = Comment.objects.filter(case_id__in=waiting).values("watch_id")
    return Watch.objects.filter(pk__in=watch_ids, post__is_governor=True).select_related("post__source")


def _read_post(watch: Watch, source_error: str) -> PostRead:
    """R-7.4: read the watched post's own comments, whatever the source's read covered. VK: the post's comments
    are asked for directly (`VKConnector.post_comments`), since the wall's read covers only its newest posts
    (`posts_window`) and a watched post can fall out of them within its two days. Other networks (Telegram:
    every comment arrives as an update of the channel's discussion group, whichever post it answers): the
    source's read is the post's read, and its error (`source_error`) is the check's."""
    from otklik.intake.pipeline import ingest_payloads
    from otklik.integrations.base import ConnectorError
    from otklik.integrations.publish import DELETED
    from otklik.integrations.registry import connector_for

    post = watch.post
    source = post.source
    if source is None or not source.is_active:
        return PostRead("нет активного источника")
    connector = connector_for(source)
    try:
        reader = getattr(connector, "post_comments", None)
        if reader is None:
            return PostRead(source_error)
        for page in reader(post.external_id):
            ingest_payloads(source.network, page.payloads, connector.parse, source=source)
    except ConnectorError as exc:
        if exc.code == DELETED:
            log.info(
                "governor post %s (%s %s) is deleted in the network: %s",
                post.pk,
                post.network,
                post.external_id,
                exc,
            )
            return PostRead(exc.described(retry=False), deleted=True)
        log.warning(
            "governor post %s (%s %s): comments not read: %s", post.pk, post.network, post.external_id, exc
        )
        return PostRead(exc.described())
    except Exception as exc:  # an unexpected answer must not stop the other posts' checks
        log.exception("governor post %s (%s %s): comments not read", post.pk, post.network, post.external_id)
        return PostRead(
            f"внутренняя ошибка Отклика при чтении комментариев поста: {type(exc).__name__}: {exc}"
        )
    finally:
        connector.close()
    return PostRead()


def _stop_checks(watch: Watch, now: datetime) -> int:
    """R-7.4: the post is deleted in the network: nothing is left to check. The watch is marked (the post page
    says so) and its checks still due are `STOPPED` with why; returns how many."""
    said = (
        f"Пост удалён в сети (проверка {_when(now)} его не нашла): проверки комментариев прекращены, "
        "отвечать под ним больше негде."
    )
    note = f"{watch.note} {said}".strip() if watch.note else said
    Watch.objects.filter(pk=watch.pk, post_deleted_at__isnull=True).update(
        post_deleted_at=now, note=note[:500]
    )
    return Check.objects.filter(watch=watch, state=Check.State.DUE).update(
        state=Check.State.STOPPED, note=f"пост удалён в сети, проверять нечего (обнаружено {_when(now)})"
    )


POST_GONE = "пост удалён в сети: отвечать негде"


def _end_under_deleted_post(watch: Watch, now: datetime) -> int:
    """R-7.2 with R-7.4: the post is deleted in the network: its questions still in work can be answered nowhere, so
    they are ended «ответ не нужен: пост удалён в сети» (`actions.end_question`), their running terms closed without
    a violation (one that ran out before stays one) and their executors told — as for a comment its author deletes.
    Returns how many were ended."""
    questions = _open_questions(case_messages__message__post_id=watch.post_id)
    return _end_each(questions, POST_GONE, "after its post's deletion", now)


def _found_since_last_check(check: Check, now: datetime) -> int:
    """R-7.4: the comments new since the post's previous check that was done (the end of the first two hours
    for the first one): those triaged in between count too, since the periodic run triages what `otklik ingest`
    reads every few minutes, before the check's moment comes. Official accounts' comments (the bodies' own
    answers published by hand) are not new comments."""
    previous = (
        Check.objects.filter(watch_id=check.watch_id, state=Check.State.DONE, number__lt=check.number)
        .order_by("-number")
        .values_list("ran_at", flat=True)
        .first()
    )
    since = previous or check.watch.first_window_end or check.watch.started_at
    return (
        Comment.objects.filter(watch_id=check.watch_id, processed_at__gt=since, processed_at__lte=now)
        .exclude(message__is_official=True)
        .count()
    )


def run_checks(now: datetime | None = None, *, fetch: bool = True) -> CheckReport:
    """R-7.4: run every check whose moment has come: read the post's comments, triage them, record the check.

    A check counts as done when it runs in [its moment, the next check's moment) and the post's own comments were
    read (`_read_post`: a VK post is read directly, not only when it is among the wall's newest posts); a check
    whose post could not be read stays due (with the error noted) and is tried again by the next run; a check
    whose grace passed before any successful run is recorded as missed, with the time that was noticed. A post
    the network says is deleted stops its checks (`_stop_checks`).
    """
    now = now or timezone.now()
    report = CheckReport()
    open_watches(now)
    # the checks of a post unticked as the Governor's wait, neither run nor missed: ticked again, they go on
    missed = Check.objects.filter(state=Check.State.DUE, grace_until__lte=now, watch__post__is_governor=True)
    said = f"не выполнена до {timezone.localtime(now):%d.%m.%Y %H:%M}"
    # the reason a run left (the network could not be read) stays beside it
    report.missed = missed.update(
        state=Check.State.MISSED,
        note=SqlCase(
            When(note="", then=Value(said)),
            default=Left(Concat(Value(said + "; "), F("note"), output_field=CharField()), 500),
            output_field=CharField(),
        ),
    )
    due = (
        Check.objects.filter(
            state=Check.State.DUE, due_at__lte=now, grace_until__gt=now, watch__post__is_governor=True
        )
        .select_related("watch__post__source")
        .order_by("due_at")
    )
    sources_fetched: dict[int | None, str] = {}
    read_now: set[int] = set()
    for check in due:
        watch = check.watch
        read_now.add(watch.pk)
        source = watch.post.source
        key = source.pk if source is not None else None
        if fetch and key not in sources_fetched:
            try:
                sources_fetched[key] = _fetch(source)
            except Exception as exc:  # a broken network must not stop the other posts' checks
                log.exception("governor check: fetching source %s failed", key)
                sources_fetched[key] = str(exc)
        error = sources_fetched.get(key, "")
        if fetch:
            read = _read_post(watch, error)
            if read.deleted:
                report.stopped += _stop_checks(watch, now)
                report.post_gone += _end_under_deleted_post(watch, now)
                report.watches += 1
                continue
            error = read.error
        new = process_comments(now, watch)
        report.new_comments += new
        report.watches += 1
        if error:
            # The network was not read: the check is not done. It stays due and the next run (every few
            # minutes) tries again; if the network stays down past the next moment, it is recorded missed.
            Check.objects.filter(pk=check.pk, state=Check.State.DUE).update(
                note=f"комментарии не получены, проверка будет повторена: {error}"[:500]
            )
            report.errors += 1
            continue
        changed = Check.objects.filter(pk=check.pk, state=Check.State.DUE).update(
            state=Check.State.DONE, ran_at=now, new_comments=_found_since_last_check(check, now), note=""
        )
        report.done += changed
    if fetch:
        # a question whose interim answer waits for its author's details keeps its post read, its checks
        # over or not: the wall's own read covers only its newest posts, and the details may come days later
        for watch in _watches_awaiting_details().exclude(pk__in=read_now):
            read = _read_post(watch, "")
            if read.deleted:
                report.stopped += _stop_checks(watch, now)
                report.post_gone += _end_under_deleted_post(watch, now)
            elif read.error:
                log.warning(
                    "governor post %s: reading it for an author's details failed: %s",
                    watch.post_id,
                    read.error,
                )
    # Comments read between the checks (by `otklik ingest` or a webhook) are triaged at every run, not only at a
    # check's moment: a question in the first two hours reaches its body while it can still be answered in time
    # and an author's details after the last check still reach the waiting question.
    report.new_comments += process_comments(now)
    report.restored = reopen_restored(now)
    report.withdrawn = close_withdrawn(now)
    return report


# ---------------------------------------------------------------------------------------------- the page
QUESTION_STATES = {
    "new": "новый",
    "review": "на согласовании в органе",
    "publishing": "ответ согласован, ждёт публикации",
    "answered": "ответ дан",
    "interim": "промежуточный ответ дан, готовится ответ",
    "waiting": "ждёт ответа автора",
    "overdue": "просрочен",
    "partly": "ответ дан не всеми органами",
    "not_needed": "ответ не нужен",
}


def question_state(case: Case, now: datetime) -> str:
    """The state shown on the post page: new, answered, interim, waiting for the author, overdue (R-7.4)."""
    drafts = actions.prefetched(case, "drafts")  # the post page's prefetch (`actions.prefetched`), or None
    if case.status == Case.Status.CLOSED:
        return "answered" if _has_published(case, drafts, Draft.Kind.ANSWER) else "not_needed"
    if case.status == Case.Status.AWAITING_AUTHOR:
        return "waiting"
    if _late(case, actions.prefetched(case, "deadlines"), now):
        return "overdue"
    assignments = actions.prefetched(case, "assignments")
    if (
        any(a.state == Assignment.State.DONE for a in assignments)
        if assignments is not None
        else case.assignments.filter(state=Assignment.State.DONE).exists()
    ):
        return "partly"  # several bodies: some have answered, the others have not yet
    if case.status == Case.Status.REVIEW:
        return "review"
    if case.status == Case.Status.PUBLISHING:
        return "publishing"
    if _has_published(case, drafts, Draft.Kind.INTERIM):
        return "interim"
    return "new"


def _has_published(owner: Case | Assignment, drafts: list[Draft] | None, kind: str) -> bool:
    """The case's (or the body's part's) answer of this kind went out; `drafts`: their prefetched drafts."""
    if drafts is not None:
        return any(d.state == Draft.State.PUBLISHED and d.kind == kind for d in drafts)
    return owner.drafts.filter(state=Draft.State.PUBLISHED, kind=kind).exists()


def _late(
    case: Case, deadlines: list[Deadline] | None, now: datetime, part: Assignment | None = None
) -> bool:
    """A term of the case (of the body's part: `part`) is still open past its moment; `deadlines`: the case's
    (the part's) prefetched deadlines."""
    if deadlines is not None:
        return any(
            d.case_id == case.pk
            and d.met_at is None
            and d.cancelled_at is None
            and d.due_at < now
            and (part is None or d.assignment_id == part.pk)
            for d in deadlines
        )
    late = Deadline.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True, due_at__lt=now)
    return (late if part is None else late.filter(assignment=part)).exists()


# ---------------------------------------------------------------------------------------------- publishing
def question_message(case: Case) -> Message:
    link = (
        case.case_messages.filter(is_author_reply=False)
        .select_related("message__source")
        .order_by("id")
        .first()
    )
    if link is None:
        raise ActionRefused("У вопроса нет комментария.", "no_message")
    return link.message


def part_state(case: Case, part: Assignment, now: datetime) -> str:
    """One body's part of the question on the post page, in the terms of `question_state`."""
    phase = actions.part_phase(part)
    drafts = actions.prefetched(part, "drafts")  # the post page's prefetch (`actions.prefetched`), or None
    if phase == Case.Status.CLOSED:
        return "answered" if _has_published(part, drafts, Draft.Kind.ANSWER) else "not_needed"
    if phase == Case.Status.AWAITING_AUTHOR:
        return "waiting"
    if _late(case, actions.prefetched(part, "deadlines"), now, part):
        return "overdue"
    if phase == Case.Status.REVIEW:
        return "review"
    if phase == Case.Status.PUBLISHING:
        return "publishing"
    if _has_published(part, drafts, Draft.Kind.INTERIM):
        return "interim"
    return "new"


def publish(case: Case, actor: Person | None, now: datetime | None = None, draft: Draft | None = None) -> str:
    """R-7.2/R-7.3: publish the approved answer as a reply under the comment through the network's connector.
    Returns "" when published, else why not (then a person publishes by hand and confirms with the link).
    With several bodies on the question: `draft`, else the approved answer of the person's body."""
    from otklik.integrations.publish import ConnectorError, publish_reply

    case.refresh_from_db()
    approved = case.drafts.filter(state=Draft.State.APPROVED).select_related("assignment").order_by("id")
    if draft is not None:
        approved = approved.filter(pk=draft.pk)
    elif actor is not None and approved.filter(assignment__body_id__in=body_ids_of(actor)).exists():
        approved = approved.filter(assignment__body_id__in=body_ids_of(actor))
    chosen = approved.first()
    if chosen is None or case.status == Case.Status.CLOSED:
        return "нет согласованного ответа"
    question = question_message(case)
    try:
        result = publish_reply(question, chosen.text, f"gov-{case.pk}-{chosen.pk}")
    except ConnectorError as exc:
        log.warning(
            "governor question %s: draft %s not published through the API: %s", case.pk, chosen.pk, exc
        )
        now = now or timezone.now()
        error = _not_published(question, exc, now)
        _tell_not_published(case, chosen, question, actor, error, now)
        return error
    actions.confirm_publication(
        case,
        method="api",
        url=result.url,
        external_id=result.external_id,
        actor=actor,
        now=now or timezone.now(),
        draft=chosen,
    )
    return ""


UNKNOWN_OUTCOME = (
    "неизвестно, опубликован ли ответ: сеть не подтвердила публикацию — проверьте ветку под постом и публикуйте "
    "вручную, только если ответа там нет"
)


def _tell_not_published(
    case: Case, draft: Draft, question: Message, actor: Person | None, error: str, now: datetime
) -> None:
    """R-7.1, R-7.2: the network did not take the approved answer (or may have taken it without saying so). As
    clause 8 does (`cases.publishing.on_outbox_failed`): the question's timeline records it, the approved text kept,
    and the part's executor — who publishes by hand while the 2 working hours run — is told (in the system and by
    the usual channels, `cases.notify.notify`), unless they are the one who just pressed the button and read it on
    the page. A comment deleted in the network needs no answer by hand."""
    part = draft.assignment
    who = f"Ответ органа «{part.body}»" if part is not None else "Ответ"
    if error == UNKNOWN_OUTCOME:
        reason = f"{who} отправлен в сеть, но {error}; затем подтвердите ссылку на странице поста"
    elif question.deleted_at is not None:
        reason = f"{who} не опубликован: {error}, ответ под ним не опубликовать"
    else:
        reason = (
            f"Автоматическая публикация не удалась ({error}): {who[0].lower()}{who[1:]} согласован — опубликуйте "
            "его вручную под комментарием и подтвердите ссылку на странице поста"
        )
    CaseEvent.objects.create(case=case, at=now, actor=None, action="api_publish_failed", reason=reason[:2000])
    if part is None:
        return
    publisher, instead = doer(part.executor or draft.author, now, part.body)
    if publisher is None or (actor is not None and publisher.pk == actor.pk):
        return
    notify(
        publisher,
        case,
        Notification.Kind.WORK,
        with_substitute(f"Вопрос под постом Губернатора № {case.pk}: {reason}.", instead),
        now,
    )


def _not_published(question: Message, exc: Exception, now: datetime) -> str:
    """Why the network did not take the answer, in Russian for the person (the log keeps the network's own
    words). A comment the network says is deleted is marked so (R-4), as the outbox does for clause 8."""
    from otklik.intake.models import DeletedHow
    from otklik.intake.pipeline import mark_deleted
    from otklik.integrations.publish import DELETED

    code = getattr(exc, "code", None)
    if getattr(exc, "maybe_done", False):
        # The network may have published it (a timeout, a 5xx, an answer without the new comment): a hand copy
        # would be a second answer under the Governor's post.
        return UNKNOWN_OUTCOME
    if code == DELETED:
        mark_deleted(question.network, [question.external_id], DeletedHow.PUBLISH, at=now)
        question.refresh_from_db(fields=["deleted_at", "deleted_how", "deleted_by"])
        if question.deleted_by_other:
            return "комментарий удалён в сети модератором сообщества"
        if question.deleted_by_author:
            return "комментарий удалён автором в сети"
        return "комментарий удалён в сети"
    if code == "manual":
        return f"в сети «{question.get_network_display()}» ответ публикуется вручную"
    if getattr(exc, "permanent", False):
        return f"сеть «{question.get_network_display()}» отказала в публикации"
    return f"сеть «{question.get_network_display()}» недоступна или не ответила"
