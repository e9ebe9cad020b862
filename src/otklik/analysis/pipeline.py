"""The analysis pipeline: annotate a message with stored suggestions; read them back for the curator inbox."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from otklik.queueing import enqueue_with_transaction

from .failures import attempts_so_far, mark_value, retry_at
from .importance import assess
from .models import Decision, Kind, Suggestion
from .models_store import moderation_version
from .moderation import ModerationResult, moderate
from .place import extract_place
from .repeats import SAME_ISSUE_MIN_TOPIC, find_repeats, same_author_issue, same_issue
from .routing import Router, route, topics_to_route
from .topics import guesses_from_proba, refresh_topic_model, topic_model

RULES_VERSION = "rules-1"
# The body suggestion's model version ends so when it is the topics routed through the competence matrix: such a
# suggestion is routed again over the matrix as it is now whenever it is shown (`route_now`).
THROUGH_MATRIX = "+competence"
log = logging.getLogger(__name__)

# A comment this short («у нас та же проблема», «а в Луге когда?») says little by itself: its topic, and its place
# when it names none, are read with the text it answers (`thread_context`).
SHORT_WORDS = 8
CONTEXT_CHARS = 600


def thread_context(message: Any) -> tuple[str, str]:
    """The text a short comment answers and where it comes from: the comment it replies to ("reply"), else the post
    it is under ("post"); ("", "") for a comment that says enough by itself or answers nothing stored."""
    text = message.text or message.text_raw or ""
    if len(re.findall(r"\w+", text)) >= SHORT_WORDS:
        return "", ""
    parent = message.reply_to if message.reply_to_id else None
    if parent is not None and (parent.text or parent.text_raw) and not excluded(parent):
        return (parent.text or parent.text_raw)[:CONTEXT_CHARS], "reply"
    post = message.post if message.post_id else None
    if post is not None and post.text:
        return post.text[:CONTEXT_CHARS], "post"
    return "", ""


def excluded(message: Any) -> bool:
    """R-10: whether a message is excluded from work (abusive) — as the curator or the machine decided, or, not
    annotated yet, as the moderation would decide: it is not read as another's context, nor taken as an author's
    reply (`cases.author_replies`)."""
    verdict = _moderation_verdict(message)
    return moderate(message.text or message.text_raw or "").blocked if verdict is None else verdict


def annotate_message(message: Any, *, retry: bool = True) -> list[Suggestion]:
    """Run every analyser over a message and store one ``Suggestion`` per kind (R-8.1, R-8.10, R-10); see
    `_annotate`. Should an analyser fail, the message is neither left unanalysed in silence nor without its
    moderation (R-10): `record_failure` stores the moderation verdict with the mark of the failed analysis, which
    the inbox shows, and with ``retry`` (the page task schedules its own) the message is analysed again later.
    Raises only when not even that can be stored."""
    was_blocked = _moderation_verdict(message) if message.pk is not None else None
    try:
        rows = _annotate(message)
    except Exception as exc:
        # the moderation's verdict is stored even so: a reply edited clean goes to its case below all the same
        rows = record_failure(message, exc, retry=retry)
    if was_blocked and not is_blocked(message):
        _reply_after_edit(message)
    return rows


def _reply_after_edit(message: Any) -> None:
    """R-8.8 with R-10: a message excluded as abusive and edited by its author into a proper one (analysed anew, no
    longer blocked) may be the author's reply a case waits for: linked to it now, as a clean reply is when it is
    stored (`intake.pipeline.upsert`), unless it is in a case already or is our own."""
    from otklik.cases.author_replies import link_author_replies
    from otklik.cases.models import CaseMessage

    if message.is_official or CaseMessage.objects.filter(message_id=message.pk).exists():
        return
    link_author_replies([(message.pk, message.network, message.author_id)])


def moderation_suggestion(message: Any, verdict: ModerationResult) -> Suggestion:
    """The moderation's verdict as the suggestion stored for the message (R-10)."""
    confidence = max([verdict.score] + [0.95 for r in verdict.reasons if r.kind != "classifier"])
    return Suggestion(
        message=message,
        kind=Kind.MODERATION,
        value=verdict.as_dict(),
        confidence=round(confidence if verdict.blocked else 1 - verdict.score, 3),
        model_version=moderation_version(),
    )


EDITED_AFTER_RETURN = (
    "Автор изменил текст после того, как куратор вернул сообщение в работу; новый текст исключён модерацией "
    "(его можно вернуть снова)."
)


def text_digest(text: str) -> str:
    """A short fingerprint of the text a curator's moderation decision was made on."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _returned_another_text(decided: Any, text: str) -> bool:
    """Whether the curator's decision returned the message to work when its text was another one (a decision from
    before texts were fingerprinted cannot tell, and stands)."""
    value = decided.value or {}
    judged = value.get("text_sha")
    return not value.get("blocked") and bool(judged) and judged != text_digest(text)


@transaction.atomic
def _annotate(message: Any) -> list[Suggestion]:
    """Run every analyser over a message and store one ``Suggestion`` per kind (R-8.1, R-8.10, R-10).

    A blocked message (R-10) gets only its moderation suggestion: it is excluded from work, kept and
    never deleted; the curator may overturn the block with a ``Decision``. Her latest decision stands over the
    machine's verdict when the message is analysed again: one she returned to work gets every suggestion (place,
    topic, bodies, importance, repeats), one she excluded by hand only the moderation's.
    """
    text = message.text or message.text_raw or ""
    source = message.source
    rows: list[Suggestion] = []

    def add(kind: str, value: dict[str, Any], confidence: float, version: str) -> None:
        rows.append(
            Suggestion(
                message=message,
                kind=kind,
                value=value,
                confidence=round(confidence, 3),
                model_version=version,
            )
        )

    verdict = moderate(text)
    rows.append(moderation_suggestion(message, verdict))
    decided = latest(message, Decision, Kind.MODERATION)
    if decided is not None and verdict.blocked and _returned_another_text(decided, text):
        # the author edited the message into abuse after the curator returned it to work: her decision was
        # about a text that is gone; it is excluded again (she may return it once more)
        decided = record_decision(
            message,
            Kind.MODERATION,
            {"blocked": True, "reason": EDITED_AFTER_RETURN, "text_sha": text_digest(text)},
            None,
        )
    blocked = verdict.blocked if decided is None else bool((decided.value or {}).get("blocked"))
    if not blocked:
        context, context_from = thread_context(message)
        place = extract_place(text, source.municipality if source is not None else None)
        if place.source != "text" and context:
            # the place the answered text names is closer than the community's territory, but less sure than the
            # comment's own
            in_context = extract_place(context)
            if in_context.source == "text":
                place = dataclasses.replace(
                    in_context, source=context_from, confidence=round(in_context.confidence * 0.7, 3)
                )
        add(Kind.PLACE, place.as_dict(), place.confidence, RULES_VERSION)

        model = topic_model()  # one model for the guesses and the version named with them
        read = f"{context}\n{text}" if context else text
        guesses = guesses_from_proba(model, model.predict_proba([read])[0])
        version = model.version
        topic = {"top": [g.as_dict() for g in guesses], "topic": guesses[0].topic, "group": guesses[0].group}
        if context:
            topic["context"] = context_from  # read with the comment or post it answers
        add(Kind.TOPIC, topic, guesses[0].probability, version)
        bodies = route(topics_to_route([(g.topic, g.probability) for g in guesses]), place.municipality_id)
        add(
            Kind.BODY,
            {"bodies": [b.as_dict() for b in bodies]},
            bodies[0].confidence if bodies else 0.0,
            f"{version}{THROUGH_MATRIX}",
        )
        importance = assess(text, message.metrics, governor=bool(source is not None and source.is_governor))
        add(Kind.IMPORTANCE, importance.as_dict(), importance.confidence, RULES_VERSION)

        repeats = find_repeats(message)
        likely = [g.topic for g in guesses[:3] if g.probability >= SAME_ISSUE_MIN_TOPIC]
        if likely and place.streets:
            known = {r.message_id for r in repeats}
            same = same_issue(
                message, likely, place.streets[0].street, place.municipality_id, place.settlement_id
            )
            repeats += [r for r in same if r.message_id not in known]
        if likely and place.source == "text":
            # the same author again about the same place and topic, in other words (the place the text names, not
            # the community's territory)
            known = {r.message_id for r in repeats}
            own = same_author_issue(
                message,
                likely,
                place.municipality_id,
                place.settlement_id,
                [m.street for m in place.streets],
            )
            repeats += [r for r in own if r.message_id not in known]
        add(
            Kind.REPEAT,
            {"candidates": [r.as_dict() for r in repeats]},
            repeats[0].similarity if repeats else 0.0,
            "rapidfuzz-token-set-1",
        )
    # with two task workers an edit may have been stored (and analysed) since this text was read; a
    # verdict on the earlier text stored last would stand as the latest. The edit's own analysis is queued with
    # it, so this one is dropped (the row lock waits for an edit being stored).
    if not _still_reads(message, text):
        log.info(
            "message %s: analysis of an earlier text dropped, the message was edited meanwhile", message.pk
        )
        return []
    return Suggestion.objects.bulk_create(rows)


def _still_reads(message: Any, text: str) -> bool:
    """Whether the stored message still reads `text` (its row locked until the transaction ends: an edit being
    stored is waited for); False when it was edited or deleted meanwhile."""
    now_reads = (
        type(message)
        .objects.select_for_update()
        .filter(pk=message.pk)
        .values_list("text", "text_raw")
        .first()
    )
    return now_reads is not None and (now_reads[0] or now_reads[1] or "") == text


def record_failure(message: Any, error: Exception, *, retry: bool) -> list[Suggestion]:
    """The analysis of ``message`` failed with ``error`` (logged here with its traceback): store its moderation
    verdict, unless the moderation is what fails, and the mark of the failed analysis (`failures`), and with
    ``retry`` queue its next analysis. Returns the stored rows (none when the message was edited meanwhile: the
    edit's own analysis is queued with it)."""
    log.error("analysis: analysing message %s failed", message.pk, exc_info=error)
    text = message.text or message.text_raw or ""
    rows: list[Suggestion] = []
    try:
        rows.append(moderation_suggestion(message, moderate(text)))
    except Exception:
        log.exception("analysis: message %s: the moderation fails too", message.pk)
    with transaction.atomic():
        if not _still_reads(message, text):
            return []
        value = mark_value(attempts_so_far(message) + 1, moderated=bool(rows))
        rows.append(Suggestion(message=message, kind=Kind.ANALYSIS, value=value, model_version=RULES_VERSION))
        stored = Suggestion.objects.bulk_create(rows)
        if retry and value["retry_at"]:
            enqueue_retry(message.pk, stored[-1])
    return stored


def enqueue_retry(message_id: int, mark: Suggestion) -> None:
    """Queue the next analysis of one message whose analysis failed, when its mark says."""
    from .tasks import annotate_messages_task

    due = retry_at(mark)

    def send() -> None:
        annotate_messages_task.using(run_after=due).enqueue([message_id])

    if due is not None:
        enqueue_with_transaction(send)


def latest(message: Any, model: type[Suggestion] | type[Decision], kind: str) -> Any:
    """The message's newest suggestion or decision of this kind, or None."""
    order = "-created_at" if model is Suggestion else "-decided_at"
    return model.objects.filter(message=message, kind=kind).order_by(order, "-id").first()


def _moderation_verdict(message: Any) -> bool | None:
    """Blocked or not as the curator's latest decision says, else the machine's latest suggestion; None: neither."""
    found = latest(message, Decision, Kind.MODERATION) or latest(message, Suggestion, Kind.MODERATION)
    return None if found is None else bool((found.value or {}).get("blocked"))


def is_blocked(message: Any) -> bool:
    """R-10: excluded from work — the machine blocked it and no curator's decision overturned that."""
    return bool(_moderation_verdict(message))


def _latest_blocked(table: str, stamp: str) -> str:
    from otklik.intake.models import Message

    if connection.vendor == "postgresql":
        value = "(x.value ->> 'blocked')::boolean"
    else:
        value = "json_extract(x.value, '$.blocked')"
    return (  # table and column names from the models, no input
        f'(SELECT {value} FROM "{table}" x'  # noqa: S608
        f' WHERE x.message_id = "{Message._meta.db_table}"."id"'
        f" AND x.kind = '{Kind.MODERATION.value}' ORDER BY x.{stamp} DESC, x.id DESC LIMIT 1)"
    )


def blocked_sql(blocked: bool) -> str:
    """SQL condition on messages: excluded (R-10) or not, as `is_blocked` decides."""
    false = "false" if connection.vendor == "postgresql" else "0"
    expr = (
        f"COALESCE({_latest_blocked(Decision._meta.db_table, 'decided_at')},"
        f" {_latest_blocked(Suggestion._meta.db_table, 'created_at')}, {false})"
    )
    return expr if blocked else f"NOT {expr}"


def blocked_ids(message_ids: Any) -> set[int]:
    """`is_blocked` for many messages in one query (`blocked_sql`): the ids of those excluded from work.
    ``message_ids``: a list of ids or a query of them (``….values("message_id")``: no limit on how many)."""
    from otklik.intake.models import Message

    ids = message_ids if hasattr(message_ids, "query") else list(message_ids)
    excluded = Message.objects.filter(pk__in=ids).extra(where=[blocked_sql(True)])  # noqa: S610 (no input)
    return set(excluded.values_list("pk", flat=True))


def suggestions_for(message: Any) -> dict[str, Any]:
    """For the curator inbox: the newest suggestion of each kind and the curator's decision if any.

    ``{"moderation": {"value": …, "confidence": …, "model_version": …, "created_at": …, "decision": … | None},
    …, "blocked": bool}``
    """
    return suggestions_for_many([message])[message.pk]


def suggestions_for_many(messages: Iterable[Any]) -> dict[int, dict[str, Any]]:
    """`suggestions_for` for a page of messages in two queries, a third when the page has body suggestions made
    through the competence matrix (they follow the matrix as it is now, `route_now`): {message id: the same dict}.
    "blocked" follows `is_blocked`: the newest curator's moderation decision if there is one, otherwise the newest
    suggestion."""
    ids = [m.pk for m in messages]
    # plain tuples, not model instances: an inbox page reads some 300 suggestion rows
    latest: dict[tuple[int, str], tuple[Any, ...]] = {}
    for s in (
        Suggestion.objects.filter(message_id__in=ids)
        .order_by("-created_at", "-id")
        .values_list("message_id", "kind", "value", "confidence", "model_version", "created_at")
    ):
        latest.setdefault((s[0], s[1]), s)
    decisions: dict[tuple[int, str], tuple[Any, ...]] = {}
    for d in (
        Decision.objects.filter(message_id__in=ids)
        .order_by("-decided_at", "-id")
        .values_list("message_id", "kind", "value", "decided_by_id", "decided_at")
    ):
        decisions.setdefault((d[0], d[1]), d)
    out: dict[int, dict[str, Any]] = {}
    for pk in ids:
        found: dict[str, Any] = {}
        for kind in Kind.values:
            sug, dec = latest.get((pk, kind)), decisions.get((pk, kind))
            if sug is None and dec is None:
                continue
            found[kind] = {
                "value": sug[2] if sug else None,
                "confidence": sug[3] if sug else None,
                "model_version": sug[4] if sug else "",
                "created_at": sug[5] if sug else None,
                "decision": {"value": dec[2], "by": dec[3], "at": dec[4]} if dec else None,
            }
        mod = found.get(Kind.MODERATION)
        if mod and mod["decision"] is not None:
            found["blocked"] = bool((mod["decision"]["value"] or {}).get("blocked"))
        else:
            found["blocked"] = bool(mod and (mod["value"] or {}).get("blocked"))
        out[pk] = found
    route_now(out)
    return out


def _topics_of(found: dict[str, Any]) -> list[tuple[str, float]]:
    """The topics a message is routed by, from its stored topic suggestion, as `annotate_message` chose them."""
    topic = found.get(Kind.TOPIC) or {}
    value = topic.get("value") or {}
    top = [
        (str(g["topic"]), float(g["probability"]))
        for g in value.get("top") or []
        if isinstance(g, dict) and g.get("topic") and isinstance(g.get("probability"), int | float)
    ]
    if not top and value.get("topic"):
        confidence = topic.get("confidence")
        top = [(str(value["topic"]), float(confidence) if isinstance(confidence, int | float) else 0.0)]
    return topics_to_route(top)


def route_now(out: dict[int, dict[str, Any]]) -> None:
    """R-8.1: a body suggestion made through the competence matrix (`annotate_message`: the topics and place
    routed by `routing.route`, model version «…+competence») follows the matrix as it is now, not as it was when
    the message was analysed: a curator who corrects the matrix (takes a body off a topic, adds another) sees the
    correction on every message still waiting in the inbox and on its dispatch form. The stored topic and place
    are routed again by the same rules over the matrix rows of the page's topics, read in one query. The stored
    row stays as it was (the record of what the machine said, `"stored"` here); a body suggestion made otherwise
    (not through the matrix), or one without a topic suggestion to route by, is shown as stored."""
    wanted: dict[int, tuple[list[tuple[str, float]], int | None]] = {}
    settled: dict[int, int] = {}  # message -> the settlement the analysis found
    for pk, found in out.items():
        body = found.get(Kind.BODY)
        if body is None or body["value"] is None or not str(body["model_version"]).endswith(THROUGH_MATRIX):
            continue
        topics = _topics_of(found)
        if not topics:
            continue
        place = (found.get(Kind.PLACE) or {}).get("value") or {}
        municipality = place.get("municipality_id")
        wanted[pk] = (topics, municipality if isinstance(municipality, int) else None)
        if isinstance(place.get("settlement_id"), int):
            settled[pk] = place["settlement_id"]
    if not wanted:
        return
    # a settlement's formation is the one it lies in now (as the dispatch form's place, `cases.suggest.prefill`):
    # one the directory moved since the analysis routes to the administration of its formation now
    from otklik.org.models import Settlement

    lies_in = dict(
        Settlement.objects.filter(pk__in=set(settled.values())).values_list("pk", "municipality_id")
    )
    for pk, settlement in settled.items():
        if lies_in.get(settlement) is not None:
            wanted[pk] = (wanted[pk][0], lies_in[settlement])
    router = Router(
        topics={name for topics, _ in wanted.values() for name, _ in topics},
        municipalities={m for _, m in wanted.values() if m is not None},
    )
    for pk, (topics, municipality) in wanted.items():
        bodies = router.route(topics, municipality)
        stored = out[pk][Kind.BODY]
        out[pk][Kind.BODY] = {
            **stored,
            "value": {"bodies": [b.as_dict() for b in bodies]},
            "confidence": round(bodies[0].confidence, 3) if bodies else 0.0,
            "stored": stored["value"],
        }


def analyse_returned(message: Any) -> None:
    """R-10 with R-8.1 and R-8.10: the curator returned a message the moderation had excluded (her decision is
    recorded): it is analysed now as a message in work — place, topic, bodies, importance and the repeat of an earlier
    case — so the inbox and the dispatch form show them at once. Should an analyser fail, her decision stays, the
    failure is logged and the worker's task analyses the message again."""
    try:
        refresh_topic_model()  # the training worker may have stored a newer model
        annotate_message(message)
    except Exception:  # her decision is recorded whatever the analysis does; the task retries it
        log.exception(
            "analysis: analysing message %s returned to work by the curator failed; queued again", message.pk
        )
        enqueue_annotation([message.pk])


def record_decision(message: Any, kind: str, value: dict[str, Any], person: Any) -> Decision:
    """Store the curator's final choice; it is the training data for the next model."""
    return Decision.objects.create(message=message, kind=kind, value=value, decided_by=person)


# One task per network page as a rule (VK, Telegram and YouTube pages hold at most 100-200 items; an import
# page 1,000): about a second and a half of the worker's time at ~700 messages a second.
ANNOTATION_BATCH = 1000


def enqueue_annotation(message_ids: Iterable[int]) -> list[str]:
    """The intake pipeline's hook (no post_save signal): enqueue ``annotate_messages_task`` for the new
    messages, one task per ``ANNOTATION_BATCH`` of them, so that the worker sees them only once the
    surrounding transaction commits — in that transaction when the queue is this database's table, else
    after the commit. Returns the task result ids (empty until commit in the second case)."""
    from .tasks import annotate_messages_task, compress_ids

    ids = [int(pk) for pk in dict.fromkeys(message_ids)]
    enqueued: list[str] = []

    def send() -> None:
        with transaction.atomic():  # one commit for the page's tasks, not one each
            for i in range(0, len(ids), ANNOTATION_BATCH):
                batch = compress_ids(ids[i : i + ANNOTATION_BATCH])
                enqueued.append(str(annotate_messages_task.enqueue(batch).id))

    if ids:
        enqueue_with_transaction(send)
    return enqueued
