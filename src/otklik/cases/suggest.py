"""Machine suggestions in the curator's inbox and dispatch form (R-8.1) and the R-10 exclusion, read from
the `analysis` app's stored `Suggestion`/`Decision` rows.

`analysis.pipeline.suggestions_for(message)` answers for one message (the dispatch form uses it) and
`suggestions_for_many` for a page of the inbox in a fixed number of queries. The body suggestion they give is the
stored topic and place routed through the competence matrix as it is now (`analysis.pipeline.route_now`), so
`hints` and `prefill` never name a body the curator has since taken off the topic. "Blocked" in SQL
(`analysis.pipeline.blocked_sql`) follows `analysis.pipeline.is_blocked`: the newest curator's moderation decision if there is one,
otherwise the newest moderation suggestion.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Q
from django.db.models.functions import Substr

from otklik.analysis.models import Kind
from otklik.analysis.pipeline import analyse_returned, blocked_sql, record_decision, text_digest
from otklik.intake.models import Message, Outbox, Post
from otklik.org.models import Body, Municipality, Person, Settlement, Topic

from .models import WHOLE_OBLAST, Assignment, Case, CaseMessage, Publication

# The curator's final choices recorded at dispatch (training data for the next model).
RECORDED = (Kind.TOPIC, Kind.BODY, Kind.PLACE, Kind.IMPORTANCE, Kind.REPEAT)


@dataclass
class Prefill:
    """The dispatch form's initial values from the suggestions (the curator may change every one)."""

    bodies: list[int] = field(default_factory=list)
    topic: int | None = None
    topic_group: int | None = None
    municipality: int | None = None
    whole_oblast: bool = False
    settlement: Settlement | None = None
    importance: str = Case.Importance.NORMAL
    repeat_of: int | None = None
    hints: dict[str, str] = field(default_factory=dict)  # kind → the words shown next to the field


def _value(found: dict[str, Any], kind: str) -> dict[str, Any]:
    item = found.get(kind)
    return (item or {}).get("value") or {}


def _pct(found: dict[str, Any], kind: str) -> str:
    confidence = (found.get(kind) or {}).get("confidence")
    # whole percents rounded down: 0.198 is «19 %», not a «20 %» that `FILL_MIN` (0.2) would not fill in
    return f" ({math.floor(confidence * 100 + 1e-9)} %)" if isinstance(confidence, int | float) else ""


def _candidate_rows(found: dict[str, Any]) -> list[dict[str, Any]]:
    """The repeat suggestion's candidates (message_id, similarity, same_place …), most similar first."""
    rows = _value(found, Kind.REPEAT).get("candidates", [])
    return [c for c in rows if isinstance(c, dict) and isinstance(c.get("message_id"), int)]


def _candidates(found: dict[str, Any]) -> list[int]:
    """The earlier messages the repeat suggestion names, most similar first."""
    return [c["message_id"] for c in _candidate_rows(found)]


class RepeatOf(NamedTuple):
    """The earlier case a message seems to repeat (`repeat_cases`), with how its candidate was found: the wording's
    similarity (0..1), or the same topic on the same street (`same_place`)."""

    case_id: int
    similarity: float
    same_place: bool


def repeat_cases(founds: dict[int, dict[str, Any]]) -> dict[int, RepeatOf]:
    """R-8.10: for each message (by id) of an inbox page, the case its repeat suggestion points to: of the cases
    holding one of the similar earlier messages, a closed one first (a repeat is about an issue handled before,
    «по ранее рассмотренному вопросу»: the earlier answer is what the new one builds on), then the most recently
    dispatched (as `prefill` chooses). One query."""
    wanted = {m: _candidate_rows(found) for m, found in founds.items()}
    ids = {c["message_id"] for cs in wanted.values() for c in cs}
    if not ids:
        return {}
    links = list(
        CaseMessage.objects.filter(message_id__in=ids)
        .order_by("case__dispatched_at", "case_id")
        .values_list("message_id", "case_id", "case__status")
    )
    answers = _answered_cases(ids - {m for m, _, _ in links})
    if answers:
        # our own answer read back stands for the case it answers (a citizen quoting the promise made there)
        cases = {
            pk: (status, dispatched_at)
            for pk, status, dispatched_at in Case.objects.filter(
                pk__in={*answers.values(), *(case for _, case, _ in links)}
            ).values_list("pk", "status", "dispatched_at")
        }
        links += [(m, case, cases[case][0]) for m, case in answers.items() if case in cases]
        links.sort(key=lambda link: (cases[link[1]][1], link[1]))
    case_of = {m: case for m, case, _ in links}  # a message is in one case
    closed = {case for _, case, status in links if status == Case.Status.CLOSED}
    order = {case: n for n, (_, case, _) in enumerate(links)}
    out = {}
    for m, candidates in wanted.items():
        found = [(case_of[c["message_id"]], c) for c in candidates if c["message_id"] in case_of]
        if found:
            case, _ = max(found, key=lambda f: (f[0] in closed, order[f[0]]))
            # of the case's candidates, the most similar wording tells the hint (the list is most similar first)
            of_case = [c for k, c in found if k == case]
            best = next((c for c in of_case if not c.get("same_place")), of_case[0])
            similarity = best.get("similarity")
            out[m] = RepeatOf(
                case,
                float(similarity) if isinstance(similarity, int | float) else 0.0,
                bool(best.get("same_place")),
            )
    return out


def _answered_cases(ids: set[int]) -> dict[int, int]:
    """Of the messages `ids` (in no case), the government's own published answers read back from the network
    (`Message.is_official`), each with the case it answers: by the answer's id or link as published
    (`Publication`, the outbox's result). {message id: case id}."""
    rows = list(Message.objects.filter(pk__in=ids, is_official=True).values_list("pk", "external_id", "url"))
    if not rows:
        return {}
    by_id = {e: pk for pk, e, _ in rows if e}
    by_url = {u: pk for pk, _, u in rows if u}
    out: dict[int, int] = {}
    for case_id, external_id, url in Publication.objects.filter(
        Q(external_id__in=list(by_id)) | Q(url__in=list(by_url))
    ).values_list("case_id", "external_id", "url"):
        pk = by_id.get(external_id) or by_url.get(url)
        if pk is not None:
            out.setdefault(pk, case_id)
    for sent_for, external_id in Outbox.objects.filter(
        result_external_id__in=list(by_id), case_id__isnull=False
    ).values_list("case_id", "result_external_id"):
        if sent_for is not None:
            out.setdefault(by_id[external_id], sent_for)
    return out


# A short comment's topic or place read with the text it answers (`analysis.pipeline.thread_context`).
THREAD = {"reply": " — по комментарию, на который он отвечает", "post": " — по посту, под которым он написан"}


def answered(messages: Iterable[Message], found: dict[int, dict[str, Any]]) -> dict[int, str]:
    """The text a short comment was read with (its topic's `context`), for the curator to check the suggestion
    against: «В ответ на: …» / «Под постом: …». Two queries for a page of messages (their `reply_to_id` and
    `post_id` must be loaded)."""
    wanted: dict[int, tuple[str, int]] = {}
    for m in messages:
        context = _value(found.get(m.pk, {}), Kind.TOPIC).get("context")
        if context == "reply" and m.reply_to_id:
            wanted[m.pk] = ("reply", m.reply_to_id)
        elif context == "post" and m.post_id:
            wanted[m.pk] = ("post", m.post_id)
    # the beginning of each text only (a text may be long); a comment excluded as abusive is not shown
    # a comment deleted in its network since is still the context, said to be gone (the loaded parent is
    # queried with its deletion, so the note says who deleted it as the message page does)
    replies = {
        m.pk: (m.start, m.deletion_note())
        for m in Message.objects.filter(pk__in=[i for k, i in wanted.values() if k == "reply"])
        .extra(where=[blocked_sql(False)])  # noqa: S610 (no input)
        .annotate(start=Substr("text", 1, 600))
        .only("pk", "deleted_at", "deleted_by", "author_id")
    }
    posts = {
        pk: (start, "")
        for pk, start in Post.objects.filter(pk__in=[i for k, i in wanted.values() if k == "post"])
        .annotate(start=Substr("text", 1, 600))
        .values_list("pk", "start")
    }
    out: dict[int, str] = {}
    for pk, (kind, ref) in wanted.items():
        text, gone = (replies if kind == "reply" else posts).get(ref) or ("", "")
        if text:
            out[pk] = (
                ("В ответ на: " if kind == "reply" else "Под постом: ")
                + text
                + (f" ({gone})" if gone else "")
            )
    return out


def hints(
    found: dict[str, Any], allowed: Iterable[int], repeat_case: RepeatOf | None = None
) -> dict[str, str]:
    """The words shown for each suggestion (no queries: used for every row of an inbox page). `repeat_case`:
    the case the repeat suggestion points to (`repeat_cases`); the form asks for a case's number, so a similar
    message that is in no case is named as such, never by a number that could be typed in as a case's."""
    out: dict[str, str] = {}
    ok = set(allowed)
    suggested = [b for b in _value(found, Kind.BODY).get("bodies", []) if b.get("body_id") in ok]
    if suggested:
        out["body"] = ", ".join(str(b.get("body", "")) for b in suggested[:3]) + _pct(found, Kind.BODY)
    topic = _value(found, Kind.TOPIC)
    if topic.get("topic"):
        out["topic"] = f"{topic.get('group') or ''}: {topic['topic']}".lstrip(": ") + _pct(found, Kind.TOPIC)
        out["topic"] += THREAD.get(str(topic.get("context", "")), "")
    place = _value(found, Kind.PLACE)
    if place.get("municipality") or place.get("settlement") or place.get("street"):
        out["place"] = ", ".join(
            str(x) for x in (place.get("municipality"), place.get("settlement"), place.get("street")) if x
        ) + THREAD.get(str(place.get("source", "")), "")
    elif place.get("whole_oblast"):
        out["place"] = f"{WHOLE_OBLAST} (в тексте: «{place.get('oblast_words', '')}»)"
    importance = _value(found, Kind.IMPORTANCE)
    if importance.get("level") == Case.Importance.HIGH:
        reasons = importance.get("reasons") or []
        out["importance"] = "высокая" + (f": {', '.join(str(r) for r in reasons)}" if reasons else "")
    candidates = _candidates(found)
    if repeat_case is not None:
        # found without similar wording: the same topic on the same street (`analysis.repeats.same_issue`)
        if repeat_case.same_place:
            out["repeat"] = f"похоже на обращение № {repeat_case.case_id}: та же тема на той же улице"
        else:
            out["repeat"] = (
                f"похоже на обращение № {repeat_case.case_id} ({round(repeat_case.similarity * 100)} %)"
            )
        out["repeat_case"] = str(repeat_case.case_id)  # the inbox links the earlier case
    elif candidates:
        out["repeat"] = (
            f"похоже на сообщение № {candidates[0]}{_pct(found, Kind.REPEAT)}, не направленное в работу"
        )
    moderation = _value(found, Kind.MODERATION)
    reasons = [
        r.get("label") or r.get("kind") or "" for r in moderation.get("reasons", []) if isinstance(r, dict)
    ]
    if reasons:
        out["moderation"] = "; ".join(f"{r}" for r in reasons if r)
    return out


FURTHER_BODY_MIN = 0.5
# Below this the machine's first topic and body are shown as a hint but not filled in: on the oblast test set
# (bench/analysis/data/oblast_topics.jsonl) fewer than half of the topics suggested under 0.2 are right (20 of
# 46), so a filled field would send the work to the wrong body with one click (R-8.2: it loses its time).
FILL_MIN = 0.2
UNSURE = " — машина не уверена, поле не заполнено: выберите сами"


def _confidence(body: dict[str, Any]) -> float:
    value = body.get("confidence")
    return float(value) if isinstance(value, int | float) else 0.0


def _unsure(item: dict[str, Any]) -> bool:
    """A suggestion whose confidence is known and below `FILL_MIN`."""
    value = item.get("confidence")
    return isinstance(value, int | float) and value < FILL_MIN


def prefill(found: dict[str, Any], bodies: Iterable[Body]) -> Prefill:
    """The dispatch form's initial values (a few queries: one message)."""
    allowed = {b.pk for b in bodies}
    repeat = repeat_cases({0: found}).get(0)
    p = Prefill(repeat_of=repeat.case_id if repeat else None)
    p.hints = hints(found, allowed, repeat)
    suggested = [b for b in _value(found, Kind.BODY).get("bodies", []) if b.get("body_id") in allowed]
    # the first body is filled in for the curator to confirm; a second or third only when the machine is fairly
    # sure the message asks about that too — a body sent work by mistake loses its time and refuses;
    # the others stay named in the hint
    if suggested and _unsure(suggested[0]):
        p.hints["body"] += UNSURE
        suggested = []
    sure = suggested[:1] + [b for b in suggested[1:] if _confidence(b) >= FURTHER_BODY_MIN]
    p.bodies = list(dict.fromkeys(int(b["body_id"]) for b in sure))[:3]
    topic = _value(found, Kind.TOPIC)
    if topic.get("topic") and _unsure(found.get(Kind.TOPIC) or {}):
        p.hints["topic"] += UNSURE
    elif topic.get("topic"):
        match = Topic.objects.filter(is_active=True, name=topic["topic"])
        if topic.get("group"):
            match = match.filter(group__name=topic["group"])
        p.topic = match.values_list("pk", flat=True).first()
    place = _value(found, Kind.PLACE)
    # the directory as it is now: a formation taken out of it is not offered, and a settlement's formation is
    # the one it lies in now, not the one it was filed under when the message was analysed
    if (
        place.get("municipality_id")
        and Municipality.objects.filter(pk=place["municipality_id"], is_active=True).exists()
    ):
        p.municipality = int(place["municipality_id"])
    if place.get("settlement_id"):
        p.settlement = (
            Settlement.objects.select_related("municipality")
            .filter(pk=place["settlement_id"], is_active=True, municipality__is_active=True)
            .first()
        )
        if p.settlement is not None:
            p.municipality = p.settlement.municipality_id
    if p.municipality is None and p.settlement is None and place.get("whole_oblast"):
        p.whole_oblast = True
    importance = _value(found, Kind.IMPORTANCE)
    if importance.get("level") in Case.Importance.values:
        p.importance = importance["level"]
    if repeat is not None:
        _as_in_earlier(p, repeat.case_id, allowed)
    return p


def with_also(p: Prefill, also: dict[int, dict[str, Any]]) -> None:
    """R-8.1, R-8.3: the messages ticked with the first one go into the same case, whose importance is the highest
    of them: one the machine found of high importance sets it, with the hint naming that message and why (4 working
    hours, not 9). `also`: {message id: its suggestions}."""
    if p.importance == Case.Importance.HIGH:
        return
    for pk, found in sorted(also.items()):
        importance = _value(found, Kind.IMPORTANCE)
        if importance.get("level") == Case.Importance.HIGH:
            p.importance = Case.Importance.HIGH
            reasons = ", ".join(str(r) for r in importance.get("reasons") or [])
            p.hints["importance"] = f"высокая — по сообщению № {pk}" + (f": {reasons}" if reasons else "")
            return


def _as_in_earlier(p: Prefill, case_id: int, allowed: set[int]) -> None:
    """R-8.10: a repeat is about what the earlier case was: it goes to the same bodies — those that worked on it, in
    their order, never one that refused it or was replaced there (R-8.2); the topic and place the machine left blank
    are those the curator set there, and the hints say what was chosen so (the machine's own unsure guess stays
    marked unsure)."""
    working = list(
        dict.fromkeys(
            Assignment.objects.filter(case_id=case_id, body_id__in=allowed)
            .exclude(state__in=Assignment.GONE)
            .order_by("order", "id")
            .values_list("body_id", flat=True)
        )
    )[:3]
    if working:
        machine = p.hints.get("body", "").replace(UNSURE, " — машина не уверена")
        p.bodies = working
        said = f"как в обращении № {case_id} (п. 8.10)"
        p.hints["body"] = f"{said}; машина предлагала: {machine}" if machine else said
    earlier = (
        Case.objects.filter(pk=case_id)
        .values(
            "topic_id",
            "topic__name",
            "topic__is_active",
            "topic_group_id",
            "topic_group__name",
            "topic_group__is_active",
            "municipality_id",
            "municipality__name",
            "municipality__is_active",
            "whole_oblast",
        )
        .first()
    )
    if earlier is None:
        return

    def told(kind: str, chosen: str) -> None:
        hint = p.hints.get(kind, "").replace(UNSURE, " — машина не уверена")
        said = f"выбрано как в обращении № {case_id}: {chosen}"
        p.hints[kind] = f"{hint}; {said}" if hint else said

    if p.topic is None and p.topic_group is None:
        if earlier["topic_id"] and earlier["topic__is_active"] and earlier["topic_group__is_active"]:
            p.topic = earlier["topic_id"]
            told("topic", f"{earlier['topic_group__name']}: {earlier['topic__name']}")
        elif earlier["topic_group_id"] and earlier["topic_group__is_active"]:
            p.topic_group = earlier["topic_group_id"]
            told("topic", f"группа тем «{earlier['topic_group__name']}»")
    if p.municipality is None and p.settlement is None and not p.whole_oblast:
        if earlier["municipality_id"] and earlier["municipality__is_active"]:
            p.municipality = earlier["municipality_id"]
            told("place", str(earlier["municipality__name"]))
        elif earlier["whole_oblast"]:
            p.whole_oblast = True
            told("place", WHOLE_OBLAST)


def record_dispatch(message: Message, case: Case, curator: Person) -> None:
    """R-8.1: the curator's final choices for the message, stored as `analysis` decisions."""
    case_bodies = list(case.assignments.select_related("body").order_by("order", "id"))
    choices: dict[str, dict[str, Any]] = {
        Kind.TOPIC: {
            "topic": case.topic.name if case.topic else None,
            "topic_id": case.topic_id,
            "group": str(case.topic_group) if case.topic_group_id else None,
            "group_id": case.topic_group_id,
        },
        Kind.BODY: {
            "bodies": [{"body_id": a.body_id, "body": a.body.name, "order": a.order} for a in case_bodies]
        },
        Kind.PLACE: {
            "municipality_id": case.municipality_id,
            "municipality": str(case.municipality) if case.municipality else None,
            "settlement_id": case.settlement_id,
            "settlement": case.settlement.name if case.settlement else None,
            "whole_oblast": case.whole_oblast,
        },
        Kind.IMPORTANCE: {"level": case.importance},
        Kind.REPEAT: {"case_id": case.repeat_of_id},
    }
    for kind in RECORDED:
        record_decision(message, kind, choices[kind], curator)


def set_blocked(message: Message, blocked: bool, curator: Person, reason: str) -> None:
    """R-10: the curator overturns (or confirms) the machine's exclusion. A message she returns to work is analysed
    again as one in work (R-8.1 suggestions, R-8.10 repeat), her decision standing over the moderation's."""
    judged = text_digest(message.text or message.text_raw or "")  # an edit after it is judged anew
    record_decision(
        message, Kind.MODERATION, {"blocked": blocked, "reason": reason, "text_sha": judged}, curator
    )
    if not blocked:
        analyse_returned(message)
