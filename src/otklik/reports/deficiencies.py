"""R-12: every violation of a deadline with the body and the person responsible, the case, the stage and how late
(in the body's working minutes); summaries by body and by person for the vice-governor's office."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from otklik.cases.models import Deadline, Violation
from otklik.org.models import Body
from otklik.worktime.service import worktimes_then

from .monthly import NO_BODY, body_label
from .periods import MSK, Period

NOBODY = "не назначен"
MOMENT = "%d.%m.%Y %H:%M"  # how a row's moments read (Moscow time)


def person_label(person: Any) -> str:
    if person is None:
        return NOBODY
    full = " ".join(p for p in (person.last_name, person.first_name, person.middle_name) if p)
    return full or person.username


def _late_minutes(
    body_ids: Sequence[int | None], dues: Sequence[datetime], ends: Sequence[datetime]
) -> list[int]:
    """Working minutes from each due time to its end, by the hours the violation's body worked by then (never
    below 0): a body's later change of hours does not change a lateness already reported (`worktime_then`)."""
    by_body: dict[int | None, list[int]] = defaultdict(list)
    for i, body_id in enumerate(body_ids):
        by_body[body_id].append(i)
    late = [0] * len(body_ids)
    bodies = Body.objects.in_bulk([b for b in by_body if b is not None])
    engines = worktimes_then([bodies.get(b) if b is not None else None for b in by_body])
    for body_id, idx in by_body.items():
        wt = engines[body_id if body_id in bodies else None]
        for i, m in zip(idx, wt.between_many([dues[i] for i in idx], [ends[i] for i in idx]), strict=True):
            late[i] = max(int(m), 0)
    return late


def rows(qs: QuerySet[Violation], now: datetime | None = None) -> list[dict[str, Any]]:
    """One row per violation; `late_minutes` counts to the moment the duty was done (or to `now`), or to the moment
    it was given to another executor (`Violation.handed_over_at`): the person's lateness; `body_late_minutes` to
    the moment it was done: the body's."""
    return rows_of(list(with_relations(qs).order_by("body_id", "person_id", "due_at", "id")), now)


def with_relations(qs: QuerySet[Violation]) -> QuerySet[Violation]:
    """What a row shows besides the violation itself."""
    return qs.select_related("deadline", "body", "person", "case")


def rows_of(
    items: Sequence[Violation], now: datetime | None = None, late_by_id: dict[int, int] | None = None
) -> list[dict[str, Any]]:
    """The rows of violations already loaded (`with_relations`), in their order; `late_by_id` (`lateness`)
    holds the lateness already counted (one the sweep recorded since is counted here)."""
    now = now or timezone.now()
    known = late_by_id or {}
    missing = [v for v in items if v.pk not in known]
    done = {v.pk: v.deadline.met_at or v.deadline.cancelled_at or now for v in items}
    counted = _late_minutes(
        [v.body_id for v in missing],
        [v.due_at for v in missing],
        [_person_end(v.handed_over_at, done[v.pk]) for v in missing],
    )
    late_of = {**known, **{v.pk: m for v, m in zip(missing, counted, strict=True)}}
    late = [late_of[v.pk] for v in items]
    # the body's lateness differs only where the work went to another executor before it was done
    handed = [v for v in items if v.handed_over_at is not None]
    body_counted = _late_minutes(
        [v.body_id for v in handed], [v.due_at for v in handed], [done[v.pk] for v in handed]
    )
    body_late_of = {v.pk: m for v, m in zip(handed, body_counted, strict=True)}
    out = []
    for v, late_minutes in zip(items, late, strict=True):
        d = v.deadline
        out.append(
            {
                "id": v.pk,
                "body": body_label(v.body),
                "body_id": v.body_id,
                "person": person_label(v.person),
                "person_id": v.person_id,
                "case": v.case_id,
                "stage": Deadline.Stage(v.stage).label,
                "rid": v.rid,
                "due_at": v.due_at.astimezone(MSK).strftime(MOMENT),
                "done_at": (d.met_at.astimezone(MSK).strftime(MOMENT) if d.met_at else ""),
                "late_minutes": late_minutes,
                "body_late_minutes": body_late_of.get(v.pk, late_minutes),
                "detected_at": v.detected_at.astimezone(MSK).strftime(MOMENT),
                # whose work it was when someone else answers for it (an absence at the due moment), or
                # that it was done late
                "note": v.note,
            }
        )
    return out


def lateness(qs: QuerySet[Violation], now: datetime | None = None) -> dict[int, int]:
    """Each violation's `late_minutes` (as `rows` counts it) by its id, from five columns a row (no model
    instances, no labels): a person's record totals every violation and shows only a page of rows."""
    now = now or timezone.now()
    data = list(
        qs.order_by().values_list(
            "id", "body_id", "due_at", "deadline__met_at", "deadline__cancelled_at", "handed_over_at"
        )
    )
    ends = [_person_end(r[5], r[3] or r[4] or now) for r in data]
    late = _late_minutes([r[1] for r in data], [r[2] for r in data], ends)
    return {r[0]: m for r, m in zip(data, late, strict=True)}


def _person_end(handed_over_at: datetime | None, end: datetime) -> datetime:
    """Where the lateness of the person charged ends: when the work was done, or given to another executor
    before that (R-12 with R-6: `cases.actions._hand_over_violations`)."""
    return min(handed_over_at, end) if handed_over_at is not None else end


def in_period(period: Period) -> QuerySet[Violation]:
    """The violations of the period: those whose term ran out in it (R-12), whenever the sweep noticed them — a
    worker that was down over a month's end does not move a violation into the next month."""
    return Violation.objects.filter(due_at__gte=period.start, due_at__lt=period.end)


def summary(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Totals by body (`key="body"`) or by person (`key="person"`): violations, late minutes (the body's until
    the work was done, a person's until it left them), cases. Grouped by the ids: two people (or bodies) of the
    same name are two rows."""
    groups: dict[tuple[int | None, int | None], dict[str, Any]] = {}
    for r in items:
        k = (r["body_id"], r["person_id"] if key == "person" else None)
        g = groups.setdefault(
            k,
            {
                "body": r["body"],
                "person": r["person"] if key == "person" else "",
                "violations": 0,
                "late_minutes": 0,
                "cases": [],
            },
        )
        g["violations"] += 1
        g["late_minutes"] += r["late_minutes"] if key == "person" else r["body_late_minutes"]
        if r["case"] not in g["cases"]:
            g["cases"].append(r["case"])
    return sorted(
        groups.values(), key=lambda g: (-g["violations"], g["body"] == NO_BODY, g["body"], g["person"])
    )


def build(period: Period, now: datetime | None = None) -> dict[str, Any]:
    items = rows(in_period(period), now)
    return {
        "kind": "violations",
        "period": {"key": period.key, "label": period.label},
        "total": len(items),
        "by_body": summary(items, "body"),
        "by_person": summary(items, "person"),
        "violations": items,
    }


def stage_text(row: dict[str, Any]) -> str:
    """The row's stage as a person reads it, with its clause (`cases.policy.with_clause`)."""
    from otklik.cases.policy import with_clause

    return with_clause(row["stage"], row["rid"])


HEADER = [
    "Орган",
    "Ответственный",
    "Обращение",
    "Этап (пункт Положения)",
    "Срок",
    "Выполнено",
    "Опоздание, раб. мин",
    "Выявлено",
    "Пояснение",
]


def table(items: list[dict[str, Any]], dates: bool = False) -> list[list[Any]]:
    """All violations as rows of the files' table (HEADER): the stage once with its clause, as the page shows
    it; with `dates` the moments are datetimes (Moscow time, no zone: what a spreadsheet sorts and filters by),
    else the texts of the page."""

    def moment(text: str) -> Any:
        return datetime.strptime(text, MOMENT) if dates and text else text

    return [
        [
            r["body"],
            r["person"],
            r["case"],
            stage_text(r),
            moment(r["due_at"]),
            moment(r["done_at"]) or "не выполнено",
            r["late_minutes"],
            moment(r["detected_at"]),
            r["note"],
        ]
        for r in items
    ]
