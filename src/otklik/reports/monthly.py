"""The monthly report of clause 13 (R-13): timeliness of the bodies, quality of their work, dynamics of messages.

Every figure comes from aggregate queries (GROUP BY in the database); only the working time to the answer is
computed here, vectorised through `worktimes_then(bodies)[body].between_many` over the rows of one period (each
moment by the hours the body worked by then, so a body's later change of hours leaves a sent report as it was).

Definitions (the same on the page, in XLSX, PDF and JSON):
- a body's *cases*: distinct cases dispatched in the period that the body received (not a body still waiting for
  its turn, R-8.9, or whose turn never came);
- a deadline is *decided* when it was met or breached; *on time* = decided and never breached; the share on time
  *overall* is that of the body's answers — one a case, however many R-8.3 deadlines the body held on it (its own
  and the whole answer's term carried to it, R-8.9; `_body_answers`), late when any was breached —, per stage that
  of each stage's deadlines (cases dispatched in the period);
- *working time to the answer*: working minutes (the body's schedule then in force and the production calendar) from the body's
  receipt to the published answer it answered for (its R-8.3 deadlines met; in a common answer of several bodies,
  R-8.9, a body that does not compose it answers with its part, a body the whole answer's term was carried to with
  that answer); median, and the 90th percentile by nearest
  rank (the smallest value with at least 90 % of the values at or below it);
- the row *«Все органы»* counts the answers as the citizens got them: each case once, late when any of its R-8.3
  deadlines was breached, answered when its answer is published (where parts are published one by one, the last
  one), its working time from the first body's start to that publication by the oblast's calendar
  (`_case_answers`); its stages and violations add up the bodies';
- *violations*: detected in the period;
- *returns per draft*: returns decided in the period ÷ first versions of drafts submitted in the period (a draft
  that is not a revision of a returned one: the interim answer and the final answer are two drafts; a body's part
  counts where parts go to review one by one, R-8.9);
- *answer-checker score*: mean score (R-11) of every draft version of an answer submitted in the period that goes to
  review or is published as it is (an answer under the Governor's post);
- *repeats*: cases dispatched in the period that repeat an earlier case (R-8.10);
- *rejections*: rejections of competence (R-8.2) made in the period;
- *messages*: citizens' messages by the time of publication (the time of receipt when unknown), without what the
  government wrote itself (our published answers read back, the bodies' official accounts: `is_official`); the
  topic group, municipal formation and importance are those of the message's case (messages not taken into work
  count as «не определено»; a case about the oblast as a whole as «Ленинградская область в целом»).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Avg, Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from otklik.cases.models import (
    WHOLE_OBLAST,
    Assignment,
    Case,
    Deadline,
    Draft,
    Publication,
    Review,
    Violation,
)
from otklik.intake.models import Message, Network
from otklik.org.models import Body
from otklik.web.numbers import NONE, decimal, hours_minutes, no_break, signed
from otklik.worktime.service import worktime_for, worktimes_then

from .periods import Period, previous_month, year_before

UNKNOWN = "не определено"
NO_BODY = "без органа"
# The stage («подготовка и размещение ответа») is the answer's deadline: its share is `on_time_share`,
# shown as «Ответ в срок (п. 8.3)»; the pages and files show the other stages beside it.
STAGES = [(s.value, no_break(s.label)) for s in Deadline.Stage if s != Deadline.Stage.REJECT_WINDOW]
NOT_THE_ANSWER = [(code, label) for code, label in STAGES if code != Deadline.Stage.OVERALL]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def median(values: list[int]) -> float | None:
    if not values:
        return None
    return float(np.median(np.asarray(values, dtype=np.int64)))


def percentile_90(values: list[int]) -> int | None:
    """Nearest rank: the smallest value with at least 90 % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return int(ordered[max(math.ceil(0.9 * len(ordered)), 1) - 1])


def body_label(body: Body | None) -> str:
    if body is None:
        return NO_BODY
    return body.short_name or body.name


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _body_answers(period: Period) -> tuple[dict[int | None, tuple[int, int]], dict[int | None, list[int]]]:
    """Each body's answers of the period: one a case it answered for, however many R-8.3 deadlines it had on it.

    A body may hold two on one case: its own, met at its part (R-8.9), and the whole answer's term carried to it
    — parts published one by one, the total passed to the body that held the answer up (`cases.sla._charge_total`,
    docs/decisions/0005-parts-one-by-one-overall-term.md), or a copy of a later body's term the carrier took. The
    body answered the case once: late when any of its R-8.3 deadlines on it was breached, decided when late or
    when none still runs and one was met, its working time to the answer from its first start (its receipt) to its
    last meeting (the answer it answered for), by the hours the body worked by then (a later change of hours does
    not change a report already sent). A deadline taken off it before its end without a breach (relieved,
    reassigned) is no answer of the body. Returns the (decided, late) answers and the answer minutes by body."""
    per: dict[tuple[int | None, int], list[Any]] = {}  # (body, case) -> [start, end, late, running]
    for body_id, case_id, started, met, breached, cancelled in (
        Deadline.objects.filter(_in(period, "case__dispatched_at"), stage=Deadline.Stage.OVERALL)
        .exclude(cancelled_at__isnull=False, breached_at__isnull=True)
        .values_list("body_id", "case_id", "started_at", "met_at", "breached_at", "cancelled_at")
        .iterator(chunk_size=5000)
    ):
        row = per.setdefault((body_id, case_id), [started, met, False, False])
        row[0] = min(row[0], started)
        if met is not None:
            row[1] = met if row[1] is None else max(row[1], met)
        row[2] = row[2] or breached is not None
        row[3] = row[3] or (met is None and cancelled is None)
    counts: dict[int | None, tuple[int, int]] = {}
    by_body: dict[int | None, tuple[list[datetime | None], list[datetime | None]]] = defaultdict(
        lambda: ([], [])
    )
    for (body, _case), (start, end, late, running) in per.items():
        answered = end is not None and not running
        n, n_late = counts.get(body, (0, 0))
        counts[body] = (n + int(late or answered), n_late + int(late))
        if answered:
            starts, ends = by_body[body]
            starts.append(start)
            ends.append(end)
    bodies = Body.objects.in_bulk([b for b in by_body if b is not None])
    # by the hours each body worked by then: its later change of hours does not change a report already sent
    engines = worktimes_then([bodies.get(b) if b is not None else None for b in by_body])
    minutes: dict[int | None, list[int]] = {}
    for key, (starts, ends) in by_body.items():
        wt = engines[key if key in bodies else None]
        minutes[key] = [int(v) for v in wt.between_many(starts, ends)]
    return {b: c for b, c in counts.items() if c[0]}, minutes


def _case_answers(period: Period) -> tuple[int, int, list[int]]:
    """The oblast's answers as the citizens got them: each case once, however many bodies answered it (R-8.9).

    A case is *late* when any of its R-8.3 deadlines was breached (a body relieved after its term ran out too); it
    is *answered* when an answer is published (the first one; where the parts are published one by one, the last
    part) and no R-8.3 deadline of it still runs; its working time to the answer runs from the first body's start
    to that publication, by the oblast's calendar. A case closed without an answer and not late is not counted.
    Returns (cases decided, of them late, working minutes of the cases answered)."""
    in_period = _in(period, "case__dispatched_at")
    cases: dict[int, list[Any]] = {}  # case -> [start, late, running]
    for case_id, started, met, breached, cancelled in (
        Deadline.objects.filter(in_period, stage=Deadline.Stage.OVERALL)
        .values_list("case_id", "started_at", "met_at", "breached_at", "cancelled_at")
        .iterator(chunk_size=5000)
    ):
        row = cases.setdefault(case_id, [started, False, False])
        row[0] = min(row[0], started)
        row[1] = row[1] or breached is not None
        row[2] = row[2] or (met is None and cancelled is None)
    answer: dict[int, datetime] = {}  # the first published answer of each case
    last_part: dict[int, datetime] = {}
    for case_id, published, kind in (
        Publication.objects.filter(in_period)
        .values_list("case_id", "published_at", "draft__kind")
        .iterator(5000)
    ):
        if kind == Draft.Kind.PART:
            last_part[case_id] = max(last_part.get(case_id, published), published)
        else:
            answer[case_id] = min(answer.get(case_id, published), published)
    decided = late = 0
    starts: list[datetime | None] = []
    ends: list[datetime | None] = []
    for case_id, (start, was_late, running) in cases.items():
        end = answer.get(case_id) or last_part.get(case_id)
        answered = end is not None and not running
        decided += int(was_late or answered)
        late += int(was_late)
        if answered:
            starts.append(start)
            ends.append(end)
    minutes = [int(v) for v in worktime_for(None).between_many(starts, ends)] if starts else []
    return decided, late, minutes


def _timeliness(period: Period) -> dict[str, Any]:
    # a body counts the cases it received: not one still waiting for its turn or closed before it came
    cases: dict[int | None, int] = dict(
        Assignment.objects.filter(_in(period, "case__dispatched_at"), received_at__isnull=False)
        .values("body_id")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("body_id", "n")
    )
    total_cases = Case.objects.filter(_in(period, "dispatched_at")).count()
    decided = (
        Deadline.objects.filter(_in(period, "case__dispatched_at"))
        .filter(Q(met_at__isnull=False) | Q(breached_at__isnull=False))
        .exclude(stage=Deadline.Stage.OVERALL)  # the answer's: one a body and case (`_body_answers`)
        .values("body_id", "stage")
        .annotate(n=Count("id"), late=Count("id", filter=Q(breached_at__isnull=False)))
    )
    stage_counts: dict[int | None, dict[str, tuple[int, int]]] = defaultdict(dict)
    for d in decided:
        stage_counts[d["body_id"]][d["stage"]] = (d["n"], d["late"])
    answers, minutes = _body_answers(period)
    for body_id, counted_answers in answers.items():
        stage_counts[body_id][Deadline.Stage.OVERALL] = counted_answers
    violations: dict[int | None, int] = dict(
        # the month the term ran out in (`deficiencies.in_period`)
        Violation.objects.filter(_in(period, "due_at"))
        .values("body_id")
        .annotate(n=Count("id"))
        .values_list("body_id", "n")
    )
    ids = set(cases) | set(stage_counts) | set(violations) | set(minutes)
    bodies = Body.objects.in_bulk([b for b in ids if b is not None])

    def row(
        label: str,
        n_cases: int,
        counts: dict[str, tuple[int, int]],
        mins: list[int],
        viol: int,
        body_id: int | None = None,
    ) -> dict[str, Any]:
        n, late = counts.get(Deadline.Stage.OVERALL, (0, 0))
        every = [c for code, c in counts.items() if code != Deadline.Stage.REJECT_WINDOW]
        return {
            "body": label,
            "body_id": body_id,
            "cases": n_cases,
            "answer_deadlines": n,
            "answer_late": late,
            "on_time_share": share(n - late, n),
            "stages": {
                code: share(c[0] - c[1], c[0]) if (c := counts.get(code)) else None for code, _ in STAGES
            },
            "all_deadlines": sum(c[0] for c in every),
            "all_late": sum(c[1] for c in every),
            "answered": len(mins),
            "median_minutes": median(mins),
            "p90_minutes": percentile_90(mins),
            "violations": viol,
        }

    rows = [
        row(
            body_label(bodies.get(b) if b is not None else None),
            cases.get(b, 0),
            stage_counts.get(b, {}),
            minutes.get(b, []),
            violations.get(b, 0),
            b,
        )
        for b in ids
    ]
    rows.sort(key=lambda r: (r["body"] == NO_BODY, r["body"]))
    all_counts: dict[str, tuple[int, int]] = {}
    for counts in stage_counts.values():
        for stage, (n, late) in counts.items():
            prev = all_counts.get(stage, (0, 0))
            all_counts[stage] = (prev[0] + n, prev[1] + late)
    # the answer's figures of «Все органы» count each case once (`_case_answers`), the stages' each body's deadline
    answers_decided, answers_late, case_minutes = _case_answers(period)
    all_counts[Deadline.Stage.OVERALL] = (answers_decided, answers_late)
    total = row("Все органы", total_cases, all_counts, case_minutes, sum(violations.values()))
    return {"rows": rows, "total": total}


def _quality(period: Period) -> dict[str, Any]:
    # `Draft.version` numbers every draft of the case (an interim answer, a part, a clarification …), so the first
    # version of a draft is the one that revises no returned draft.
    reviewed = Q(kind__in=list(Draft.PUBLISHABLE)) | Q(
        kind=Draft.Kind.PART, case__multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE
    )
    # A draft of no assignment (the curator's common answer, R-8.9) is its author's body's, as the deadline the
    # curator carries is in the timeliness table.
    drafts = (
        Draft.objects.filter(_in(period, "submitted_at"))
        .filter(reviewed)
        # a part set aside when its body was replaced goes to no review: not a draft of the report
        .exclude(state=Draft.State.WITHDRAWN)
        .annotate(of_body=Coalesce("assignment__body_id", "author__body_id"))
    )
    first = dict(
        drafts.filter(previous__isnull=True)
        .values("of_body")
        .annotate(n=Count("id"))
        .values_list("of_body", "n")
    )
    scores = {
        r["of_body"]: r
        for r in drafts.filter(score__isnull=False)
        .values("of_body")
        .annotate(avg=Avg("score"), n=Count("id"))
    }
    returns = dict(
        Review.objects.filter(_in(period, "created_at"), decision=Review.Decision.RETURN)
        .annotate(of_body=Coalesce("draft__assignment__body_id", "draft__author__body_id"))
        .values("of_body")
        .annotate(n=Count("id"))
        .values_list("of_body", "n")
    )
    repeats = dict(
        Assignment.objects.filter(
            _in(period, "case__dispatched_at"), case__repeat_of__isnull=False, received_at__isnull=False
        )
        .values("body_id")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("body_id", "n")
    )
    rejections = dict(
        Assignment.objects.filter(_in(period, "rejected_at"))
        .values("body_id")
        .annotate(n=Count("id"))
        .values_list("body_id", "n")
    )
    ids = set(first) | set(scores) | set(returns) | set(repeats) | set(rejections)
    bodies = Body.objects.in_bulk([b for b in ids if b is not None])

    def row(
        label: str,
        n_first: int,
        n_returns: int,
        score_sum: float,
        n_scored: int,
        rep: int,
        rej: int,
        body_id: int | None = None,
    ) -> dict[str, Any]:
        return {
            "body": label,
            "body_id": body_id,
            "drafts": n_first,
            "returns": n_returns,
            "returns_per_draft": round(n_returns / n_first, 4) if n_first else None,
            "scored": n_scored,
            "avg_score": round(score_sum / n_scored, 2) if n_scored else None,
            "repeats": rep,
            "rejections": rej,
        }

    rows = []
    for b in ids:
        s = scores.get(b)
        rows.append(
            row(
                body_label(bodies.get(b) if b is not None else None),
                first.get(b, 0),
                returns.get(b, 0),
                float(s["avg"]) * s["n"] if s else 0.0,
                s["n"] if s else 0,
                repeats.get(b, 0),
                rejections.get(b, 0),
                b,
            )
        )
    rows.sort(key=lambda r: (r["body"] == NO_BODY, r["body"]))
    total_repeats = Case.objects.filter(_in(period, "dispatched_at"), repeat_of__isnull=False).count()
    total = row(
        "Все органы",
        sum(first.values()),
        sum(returns.values()),
        sum(float(s["avg"]) * s["n"] for s in scores.values()),
        sum(s["n"] for s in scores.values()),
        total_repeats,
        sum(rejections.values()),
    )
    return {"rows": rows, "total": total}


def messages_in(period: Period) -> Any:
    """Citizens' messages of the period by publication time (receipt time when the network gave none); what the
    government wrote itself (`Message.is_official`: our answers read back, official accounts) is not counted."""
    return Message.objects.filter(
        _in(period, "published_at") | (Q(published_at__isnull=True) & _in(period, "received_at")),
        is_official=False,
    )


DIMENSIONS = {
    "topic_group": ("Группа тем", "case_link__case__topic_group__name"),
    "municipality": ("Муниципальное образование", "case_link__case__municipality__name"),
    "network": ("Сеть", "network"),
    "importance": ("Важность", "case_link__case__importance"),
}


WHOLE_OBLAST_FIELD = "case_link__case__whole_oblast"


def _labels(dimension: str, value: Any) -> str:
    if value in (None, ""):
        return UNKNOWN
    if dimension == "network":
        return str(Network(value).label) if value in Network.values else str(value)
    if dimension == "importance":
        return str(Case.Importance(value).label)
    return str(value)


def place_label(municipality: str | None, whole_oblast: bool | None) -> str:
    """A message's place in the reports: its case's municipal formation, «Ленинградская область в целом» where the
    curator set so (R-8.1), or «не определено» (no place set, or not taken into work)."""
    return municipality or (WHOLE_OBLAST if whole_oblast else UNKNOWN)


def _counts(period: Period) -> tuple[int, dict[str, dict[str, int]]]:
    """One grouped pass over the period's messages gives the total and every dimension's counts."""
    fields = [field for _, field in DIMENSIONS.values()] + [WHOLE_OBLAST_FIELD]
    out: dict[str, dict[str, int]] = {d: defaultdict(int) for d in DIMENSIONS}
    total = 0
    for *values, whole, n in (
        messages_in(period).values(*fields).annotate(n=Count("id")).values_list(*fields, "n")
    ):
        total += n
        for dimension, value in zip(DIMENSIONS, values, strict=True):
            label = place_label(value, whole) if dimension == "municipality" else _labels(dimension, value)
            out[dimension][label] += n
    return total, out


def _dynamics(period: Period) -> dict[str, Any]:
    periods = {"current": period, "previous": previous_month(period), "year_ago": year_before(period)}
    grouped = {k: _counts(p) for k, p in periods.items()}
    result: dict[str, Any] = {
        "periods": {k: {"key": p.key, "label": p.label} for k, p in periods.items()},
        "total": {k: grouped[k][0] for k in periods},
    }
    for dimension, (title, _field) in DIMENSIONS.items():
        counts = {k: grouped[k][1][dimension] for k in periods}
        names = sorted(
            set().union(*counts.values()),
            key=lambda n: (n == UNKNOWN, -counts["current"].get(n, 0), n),
        )
        result[dimension] = {
            "title": title,
            "rows": [
                {
                    "name": n,
                    "current": counts["current"].get(n, 0),
                    "previous": counts["previous"].get(n, 0),
                    "year_ago": counts["year_ago"].get(n, 0),
                }
                for n in names
            ],
        }
    return result


def build(period: Period, now: datetime | None = None) -> dict[str, Any]:
    """R-13: the monthly report for `period` (any span; the dynamics compare whole calendar months)."""
    return {
        "kind": "monthly",
        "period": {
            "key": period.key,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "generated_at": (now or timezone.now()).isoformat(),
        "stages": STAGES,
        "timeliness": _timeliness(period),
        "quality": _quality(period),
        "dynamics": _dynamics(period),
    }


def fmt_minutes(value: float | int | None) -> str:
    """«2 ч 33 мин»; a median's half minute up, as a reader of the XLSX's 152.5 rounds it (round() goes to even)."""
    if value is None:
        return "—"
    return hours_minutes(math.floor(value + 0.5))


def fmt_share(value: float | None) -> str:
    return NONE if value is None else f"{decimal(value * 100, 1)} %"


NOTHING_TO_COMPARE = "сравнить не с чем"


def change(current: int, before: int) -> str:
    if not before:
        return "—" if not current else NOTHING_TO_COMPARE
    percent = round((current - before) / before * 100, 1)
    return f"{signed(percent) if percent else '0,0'} %"  # «+2,5 %», «−0,4 %», as the shares are written


def iter_stage_labels() -> Iterable[tuple[str, str]]:
    return STAGES
