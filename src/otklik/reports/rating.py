"""R-13: the quarterly rating of the bodies by the quality of their work.

The formula is on one page and in the database (`RatingComponent`, edited by administrators in the admin site,
every change in the audit log; the migration `reports 0005` wrote the default formula `DEFAULTS`, and the rating
uses exactly the rows the table holds): each component is a share from 0 to 1 where more is better; a body's score
is 100 × Σ weight·value ÷ Σ weight over the components that have data for it. Only bodies that received cases in
the quarter are rated, and of them only those with a measure of their work (`WORK`: a deadline met or breached, a
draft reviewed) or a violation or a refusal, in a component the formula weighs: «no violations» and «no refusals»
alone are no work yet, and would rank at 100 a body that has only just received its first case, or whose only case
the curator closed at once — or, with «без отказа» weighted 0, one that refused all it got.

Clause 13 asks for a rating of the oblast's executive bodies: they are ranked among themselves (`rows`). The
municipal administrations, which answer messages too (R-4.1) but are no executive bodies of the oblast, are ranked
among themselves by the same formula in a ranking of their own (`municipal_rows`), the change since the last
quarter within each ranking (`RANKINGS`; docs/decisions/0004-rating-of-executive-bodies.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from otklik.audit.models import AuditEntry
from otklik.cases.models import Assignment, Case, Violation
from otklik.org.models import Body
from otklik.web.numbers import counted, half_up, short

from . import monthly
from .models import RatingComponent
from .periods import MIN_YEAR, Period, parse_quarter, previous_quarter, quarter, quarter_of

M = RatingComponent.Metric

# The default formula. The migration `reports 0005` writes it into an empty table; an installation's formula is then
# the administrators' (a change here reaches no installation by itself).
DEFAULTS: list[tuple[str, float, str]] = [
    (
        M.ON_TIME,
        3,
        "Доля ответов, размещённых в срок (п. 8.3 Положения), среди ответов со сроком, наступившим или выполненным",
    ),
    (
        M.STAGES_ON_TIME,
        1,
        "Доля сроков всех этапов (проект, доработка, размещение …), выполненных без нарушения",
    ),
    (M.NO_RETURNS, 2, "1 − возвратов на доработку на один проект (не меньше 0)"),
    (M.SCORE, 2, "Средняя оценка проверки ответа (п. 11 Положения) ÷ 100"),
    (M.NO_VIOLATIONS, 1, "Доля обращений органа без нарушений сроков"),
    (M.NO_REJECTIONS, 1, "1 − доля обращений, по которым орган заявил о некомпетенции"),
]


WHERE_WEIGHTS = (
    "Администратор задаёт веса в разделе «Веса составляющих рейтинга» (группа «Отчёты» администрирования)."
)
NO_FORMULA = f"Рейтинг не рассчитан: ни у одной учитываемой составляющей формулы нет положительного веса. {WHERE_WEIGHTS}"
NO_COMPONENTS = f"Рейтинг не рассчитан: в формуле нет ни одной учитываемой составляющей. {WHERE_WEIGHTS}"


def active_formula() -> list[RatingComponent]:
    """The formula as the table holds it: its components marked «учитывается», in their order. Nothing is written
    here: the default formula comes with the migration (`reports 0005`), and a table the administrators emptied or
    switched off stays so (the rating then says `NO_COMPONENTS`) instead of getting the defaults back unseen and
    unaudited."""
    return list(RatingComponent.objects.filter(is_active=True))


def _formula_problem(formula: list[RatingComponent]) -> str | None:
    """Why the rating cannot be computed with `formula`, or None."""
    if not formula:
        return NO_COMPONENTS
    return None if any(c.weight > 0 for c in formula) else NO_FORMULA


def _cases_per_body(rows: QuerySet[Any], period: Period) -> dict[int | None, int]:
    """Each body's cases of the period (dispatched in it, the denominator of the shares) among `rows` (violations,
    assignments: anything with a case and a body), whenever the row itself came."""
    return dict(
        rows.filter(case__dispatched_at__gte=period.start, case__dispatched_at__lt=period.end)
        .values("body_id")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("body_id", "n")
    )


# the components that measure work done; a body with none of them has nothing to be rated on yet
WORK = (M.ON_TIME, M.STAGES_ON_TIME, M.NO_RETURNS, M.SCORE)


def _violated_cases(period: Period) -> dict[int | None, int]:
    """Each body's cases of the period with a violation of the body, whenever it was detected: a case of the
    previous quarter breached after this one began is that quarter's."""
    return _cases_per_body(Violation.objects.all(), period)


def _refused_cases(period: Period) -> dict[int | None, int]:
    """Each body's cases of the period it refused as not its competence (R-8.2), whenever it refused."""
    return _cases_per_body(Assignment.objects.filter(rejected_at__isnull=False), period)


def components(period: Period) -> dict[int, tuple[str, dict[str, float | None]]]:
    """Each body's label and component values for the period, by body id (two bodies may share a short name)."""
    t = {r["body_id"]: r for r in monthly._timeliness(period)["rows"] if r["cases"] > 0}
    q = {r["body_id"]: r for r in monthly._quality(period)["rows"]}
    violated = _violated_cases(period)
    refused = _refused_cases(period)
    out: dict[int, tuple[str, dict[str, float | None]]] = {}
    for body, tr in t.items():
        qr = q.get(body, {})
        n_all, late_all = tr["all_deadlines"], tr["all_late"]
        rpd = qr.get("returns_per_draft")
        score = qr.get("avg_score")
        out[body] = (
            tr["body"],
            {
                M.ON_TIME: tr["on_time_share"],
                M.STAGES_ON_TIME: round((n_all - late_all) / n_all, 4) if n_all else None,
                M.NO_RETURNS: None if rpd is None else round(max(0.0, 1 - rpd), 4),
                M.SCORE: None if score is None else round(score / 100, 4),
                M.NO_VIOLATIONS: round(max(0.0, 1 - violated.get(body, 0) / tr["cases"]), 4),
                M.NO_REJECTIONS: round(max(0.0, 1 - refused.get(body, 0) / tr["cases"]), 4),
            },
        )
    return out


def _score(values: dict[str, float | None], formula: list[RatingComponent]) -> float | None:
    num = den = 0.0
    for c in formula:
        v = values.get(c.metric)
        if (
            v is None or c.weight <= 0
        ):  # a weight of 0 switches the component off; a negative one is no weight
            continue
        num += float(c.weight) * v
        den += float(c.weight)
    return half_up(100 * num / den, 1) if den else None


@dataclass(frozen=True)
class Ranking:
    """One of the rating's two rankings: the bodies of one level ranked among themselves."""

    level: str  # Body.Level
    rows: str  # the key of its rows in the data
    received: str  # the key of what its bodies received (`_received`)
    title: str  # its heading on the page and in the PDF
    sheet: str  # its sheet in the XLSX (at most 31 characters)
    whom: str  # «органам …»: to whom the cases were sent, in the dative
    counted_as: str  # «органов: 2»


EXECUTIVE = Ranking(
    Body.Level.OBLAST,
    "rows",
    "received",
    "Рейтинг органов исполнительной власти Ленинградской области",
    "Рейтинг",
    "органам исполнительной власти области",
    "органов",
)
MUNICIPAL = Ranking(
    Body.Level.MUNICIPAL,
    "municipal_rows",
    "municipal_received",
    "Рейтинг администраций муниципальных образований",
    "Администрации МО",
    "администрациям муниципальных образований",
    "администраций",
)
RANKINGS = (EXECUTIVE, MUNICIPAL)


def _rank(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` by score, best first, each with its place (equal scores share one)."""
    rows.sort(key=lambda r: (-r["score"], r["body"]))
    rank = 0
    last: float | None = None
    for i, r in enumerate(rows, start=1):
        if r["score"] != last:
            rank, last = i, r["score"]
        r["rank"] = rank
    return rows


def _levels_then(body_ids: Iterable[int], at: datetime) -> dict[int, str]:
    """Each body's level (`Body.Level`) as it was at `at`: today's, unless the directory changed it since — then the
    level the first change after `at` found («было» of the audit log, which records every change of a body made in
    «Органы» or the admin site). The directory keeps no other history of the level
    (docs/decisions/0004-rating-of-executive-bodies.md)."""
    levels: dict[int, str] = dict(Body.objects.filter(pk__in=body_ids).values_list("pk", "level"))
    earliest: set[int] = set()
    for object_pk, before, after in (
        AuditEntry.objects.filter(
            model=Body._meta.label,
            action=AuditEntry.Action.UPDATE,
            object_pk__in=[str(pk) for pk in levels],
            at__gte=at,
        )
        .order_by("at", "id")
        .values_list("object_pk", "before", "after")
    ):
        pk = int(object_pk)
        was = (before or {}).get("level")
        if pk in earliest or not was or was == (after or {}).get("level"):
            continue
        earliest.add(pk)
        levels[pk] = was
    return levels


def _ranked(
    period: Period, formula: list[RatingComponent], *, levels_at: datetime | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The rated bodies of the period by level, each level ranked among itself: by today's levels, or by the levels
    as they were at `levels_at` (a past quarter's rankings as they were, `_levels_then`)."""
    values = components(period)
    if levels_at is None:
        levels = dict(Body.objects.filter(pk__in=values).values_list("pk", "level"))
    else:
        levels = _levels_then(values, levels_at)
    out: dict[str, list[dict[str, Any]]] = {r.level: [] for r in RANKINGS}
    # only what the formula weighs counts as something to rate: a refusal, with «без отказа» weighted 0, would
    # otherwise rank a body that answered nobody at 100 on «без нарушений» alone
    weighed = {c.metric for c in formula if c.weight > 0}
    for body_id, (label, vals) in values.items():
        if not (
            any(vals[m] is not None for m in WORK if m in weighed)
            or (vals[M.NO_VIOLATIONS] != 1 and M.NO_VIOLATIONS in weighed)
            or (vals[M.NO_REJECTIONS] != 1 and M.NO_REJECTIONS in weighed)
        ):
            continue
        score = _score(vals, formula)
        if score is not None:
            level = levels[body_id]
            out[level].append(
                {"body": label, "body_id": body_id, "level": level, "components": vals, "score": score}
            )
    return {level: _rank(rows) for level, rows in out.items()}


def _short(quarter: Period) -> str:
    """«3 кв. 2025 г.» for the quarter «2025Q3»."""
    year, q = quarter.key.split("Q")
    return f"{q} кв. {year} г."


def _received(period: Period, level: str) -> dict[str, int]:
    """The cases of the period the bodies of `level` received (distinct cases: a shared one once) and how many of
    those bodies received any: what an empty ranking says it had to rate."""
    got = Assignment.objects.filter(
        case__dispatched_at__gte=period.start,
        case__dispatched_at__lt=period.end,
        received_at__isnull=False,
        body__level=level,
    ).aggregate(cases=Count("case_id", distinct=True), bodies=Count("body_id", distinct=True))
    return {"cases": got["cases"] or 0, "bodies": got["bodies"] or 0}


def empty_text(data: dict[str, Any], ranking: Ranking = EXECUTIVE) -> str:
    """What a ranking says when nobody is in it: why the formula cannot be applied, that none of its bodies
    received a case in the quarter, or how many cases they received and that none of them has yet anything to rate
    (a term met or run out, a draft reviewed, a violation, a refusal: `WORK`), as in the first hours of a quarter."""
    if data.get("formula_problem"):
        return str(data["formula_problem"])
    got = data[ranking.received]
    if not got["cases"]:
        return f"В квартале {ranking.whom} не направлялись обращения."
    running = datetime.fromisoformat(data["generated_at"]) < parse_quarter(data["period"]["key"]).end
    weighed = {c["metric"] for c in data["formula"] if c["weight"] > 0}
    # what the formula weighs, in the words of what a body has to have done (`_ranked`)
    counts = [
        words
        for metrics, words in (
            ((M.ON_TIME, M.STAGES_ON_TIME), "наступившего или выполненного срока"),
            ((M.NO_RETURNS, M.SCORE), "проверенного проекта ответа"),
            ((M.NO_VIOLATIONS,), "нарушения сроков"),
            ((M.NO_REJECTIONS,), "отказа по компетенции"),
        )
        if weighed.intersection(metrics)
    ]
    listed = ", ".join(counts[:-1]) + (" или " if len(counts) > 1 else "") + counts[-1] if counts else ""
    unweighed = [c["name"] for c in data["formula"] if c["weight"] <= 0]
    off = f" (составляющие с весом 0 не учитываются: {', '.join(unweighed)})" if unweighed else ""
    return (
        f"Оценивать {'пока ' if running else ''}не по чему: {ranking.whom} в квартале направлено "
        f"{counted(got['cases'], 'обращение')} ({ranking.counted_as}: {got['bodies']}), но ни по одному "
        f"{'ещё ' if running else ''}нет {listed}{off}."
    )


def build(period: Period, now: datetime | None = None) -> dict[str, Any]:
    """The quarter's rating: the executive bodies' ranking (`rows`) and the administrations' (`municipal_rows`),
    each body's change measured against its place in the same ranking of the previous quarter."""
    formula = active_formula()
    prev_period = previous_quarter(period)
    moment = now or timezone.now()
    # a quarter that has ended is ranked by the levels at its end, as the next quarter's «место было» reads it: a
    # body moved to the other level since leaves neither ranking changed; the running quarter by today's
    ranked = _ranked(period, formula, levels_at=period.end if period.end <= moment else None)
    # the previous quarter's rankings as they were: a body the directory has moved to another level since is
    # ranked there in its former ranking, so it is «новый в рейтинге» in its new one and the others keep the places
    # they had
    earlier = _ranked(prev_period, formula, levels_at=prev_period.end)
    for level, rows in ranked.items():
        before = {r["body_id"]: r for r in earlier[level]}
        for r in rows:
            b = before.get(r["body_id"])
            r["previous_rank"] = b["rank"] if b else None
            r["previous_score"] = b["score"] if b else None
            r["score_change"] = round(r["score"] - b["score"], 1) if b else None
            r["rank_change"] = b["rank"] - r["rank"] if b else None  # positive: moved up
    return {
        "kind": "rating",
        "period": {"key": period.key, "label": period.label},
        "formula_problem": _formula_problem(formula),
        # «Изменение к 3 кв. 2025 г.»: the short form needs no declension («с 3 квартал 2025» was wrong)
        "previous_period": {"key": prev_period.key, "label": prev_period.label, "short": _short(prev_period)},
        "generated_at": moment.isoformat(),
        "formula": [
            {
                "metric": c.metric,
                "name": c.get_metric_display(),
                "weight": float(c.weight),
                "description": c.description,
            }
            for c in formula
        ],
        **{r.rows: ranked[r.level] for r in RANKINGS},
        **{r.received: _received(period, r.level) for r in RANKINGS},
    }


def formula_text(data: dict[str, Any]) -> str:
    """The formula as it is applied: the divisor is the sum of the weights of the components the body has data
    for (the sum of all weights only when it has every one)."""
    if data.get("formula_problem"):
        return str(data["formula_problem"])
    weighed = [c for c in data["formula"] if c["weight"] > 0]
    parts = " + ".join(f"{short(c['weight'])}·«{c['name']}»" for c in weighed)
    return (
        f"Балл = 100 × ({parts}) ÷ сумма весов составляющих, по которым у органа есть данные "
        f"(при всех данных — {short(sum(c['weight'] for c in weighed))})"
    )


def quarter_choices(selected: Period | None, today: date) -> list[Period]:
    """The quarters to choose from, newest first: from the first dispatched case (or the shown quarter, if
    earlier; at least the previous quarter) to the current quarter."""
    current = quarter_of(today)
    first = Case.objects.filter(dispatched_at__isnull=False).aggregate(m=Min("dispatched_at"))["m"]
    earliest = quarter_of(timezone.localtime(first).date()) if first else previous_quarter(current)
    earliest = min(
        earliest, previous_quarter(current), *([selected] if selected else []), key=lambda p: p.start
    )
    earliest = max(earliest, quarter(MIN_YEAR, 1), key=lambda p: p.start)
    out = [selected] if selected and selected.start > current.start else []
    q = current
    while q.start >= earliest.start:
        out.append(q)
        q = previous_quarter(q)
    return out


def table(data: dict[str, Any], ranking: Ranking = EXECUTIVE) -> tuple[list[str], list[list[Any]]]:
    """One ranking of the rating as cells: numbers stay numbers, a value that does not exist is None (an empty
    cell). The last two columns name the quarter they compare with («Изменение балла к 3 кв. 2025 г.»): a file read
    apart from the page says it itself."""
    before = data["previous_period"]["short"]
    header = [
        "Место",
        "Орган",
        "Балл",
        *[f"{c['name']} (вес {short(c['weight'])})" for c in data["formula"]],
        f"Изменение балла к {before}",
        f"Место в {before}",
    ]
    out = []
    for r in data[ranking.rows]:
        out.append(
            [
                r["rank"],
                r["body"],
                r["score"],
                *[
                    None if (v := r["components"].get(c["metric"])) is None else half_up(v * 100, 1)
                    for c in data["formula"]
                ],
                r["score_change"],
                r["previous_rank"],
            ]
        )
    return header, out
