"""Dashboards' queries: for curators and observers — today's incoming, open and overdue by body, the week's
trend, messages by municipal formation, current surges; for a body's head — the body's cases and deadlines."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet

from otklik.cases.models import OPEN_DEADLINE, Assignment, Case, Deadline, Violation
from otklik.notify.models import Alert
from otklik.org.duty import WORKING_ROLES
from otklik.org.models import Body, Person, Role

from .monthly import UNKNOWN, WHOLE_OBLAST_FIELD, _labels, body_label, messages_in, place_label
from .periods import MSK, Period

# A body whose part is answered (a Governor question several bodies answer: `governor.actions.join_question`)
# or that refused the case or was replaced no longer has it open.
DONE_OR_GONE = (*Assignment.GONE, Assignment.State.DONE)


def _day_start(now: datetime) -> datetime:
    local = now.astimezone(MSK)
    return datetime(local.year, local.month, local.day, tzinfo=MSK)


def week_trend(week: Period) -> list[dict[str, Any]]:
    """The week's messages per Moscow day, as `messages_in` counts them (the last day ends at `week.end`). The
    days' bounds are computed here and the database counts the rows in each range in one pass (a `CASE` per
    day over the indexed times), with no per-row date function: SQLite runs `TruncDate` in Python."""
    first = week.start.astimezone(MSK).date()
    days = [first + timedelta(days=i) for i in range(7)]
    bounds = [datetime.combine(d, time(), MSK) for d in days] + [week.end]
    ranges = [Period(bounds[i], min(bounds[i + 1], week.end), "", "") for i in range(7)]
    counts = messages_in(week).aggregate(
        **{f"d{i}": Count("id", filter=_published_in(r)) for i, r in enumerate(ranges)}
    )
    return [{"day": d, "count": counts[f"d{i}"] or 0} for i, d in enumerate(days)]


def _published_in(period: Period) -> Q:
    """`monthly.messages_in`'s test of the time: publication, or receipt when the network gave none."""
    return Q(published_at__gte=period.start, published_at__lt=period.end) | Q(
        published_at__isnull=True, received_at__gte=period.start, received_at__lt=period.end
    )


def overdue_deadlines(now: datetime) -> QuerySet[Deadline]:
    """Open deadlines of open cases past due at `now`; the R-8.2 window is no duty."""
    return Deadline.objects.filter(
        OPEN_DEADLINE, due_at__lt=now, case__status__in=Case.OPEN_STATUSES
    ).exclude(stage__in=Deadline.WINDOWS)


def overview(now: datetime) -> dict[str, Any]:
    """Today's count and the week's last day are the same messages: both take the message's publication time,
    or its receipt time when the network gave none (`monthly.messages_in`), up to `now`."""
    today = _day_start(now)
    week = Period(today - timedelta(days=6), now, "неделя", "week")
    incoming = messages_in(Period(today, now, "сегодня", "today"))
    by_network = [
        {"name": _labels("network", n), "count": c}
        for n, c in incoming.values("network")
        .annotate(c=Count("id"))
        .order_by("-c")
        .values_list("network", "c")
    ]
    open_q = Q(status__in=Case.OPEN_STATUSES)
    # A body that refused the case or was replaced by the curator no longer has it open.
    open_by_body: dict[int | None, int] = dict(
        Assignment.objects.filter(case__status__in=Case.OPEN_STATUSES)
        .exclude(state__in=DONE_OR_GONE)
        .values("body_id")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("body_id", "n")
    )
    # a case no body has any more (its only body refused, the curator is to name another) is the row «без
    # органа», so that every case of «Открытых обращений» is found in the table
    nobody = (
        Case.objects.filter(open_q)
        .exclude(Exists(Assignment.objects.filter(case=OuterRef("pk")).exclude(state__in=DONE_OR_GONE)))
        .count()
    )
    if nobody:
        open_by_body[None] = open_by_body.get(None, 0) + nobody
    # of those, a body whose turn has not come yet (an order of answers) has nothing to do on it so far
    waiting_by_body: dict[int | None, int] = dict(
        Assignment.objects.filter(case__status__in=Case.OPEN_STATUSES, state=Assignment.State.WAITING)
        .values("body_id")
        .annotate(n=Count("case_id", distinct=True))
        .values_list("body_id", "n")
    )
    overdue = overdue_deadlines(now)
    overdue_by_body: dict[int | None, int] = dict(
        overdue.values("body_id").annotate(n=Count("case_id", distinct=True)).values_list("body_id", "n")
    )
    # A duty of no body (the review of a curator who belongs to no body) is a row «без органа»: every overdue
    # case of the total is found in the table.
    ids = set(open_by_body) | set(overdue_by_body)
    bodies = Body.objects.in_bulk([b for b in ids if b is not None])
    by_body: list[dict[str, Any]] = sorted(
        (
            {
                "body": body_label(bodies.get(b) if b is not None else None),
                "open": open_by_body.get(b, 0),
                "waiting": waiting_by_body.get(b, 0),
                "overdue": overdue_by_body.get(b, 0),
            }
            for b in ids
        ),
        key=lambda r: (-r["overdue"], -r["open"], r["body"]),
    )
    trend = week_trend(week)
    top = max((t["count"] for t in trend), default=0) or 1
    for t in trend:
        t["pct"] = round(t["count"] / top * 100)
    # Every municipal formation of the week (the oblast has 18, «Ленинградская область в целом» and «не
    # определено»): the rows add up to the week's messages of the trend.
    places: dict[str, int] = defaultdict(int)
    for name, whole, c in (
        messages_in(week)
        .values("case_link__case__municipality__name", WHOLE_OBLAST_FIELD)
        .annotate(c=Count("id"))
        .values_list("case_link__case__municipality__name", WHOLE_OBLAST_FIELD, "c")
    ):
        places[place_label(name, whole)] += c
    by_place = [
        {"name": name, "count": c}
        for name, c in sorted(places.items(), key=lambda p: (-p[1], p[0] == UNKNOWN, p[0]))
    ]
    surges = current_surges(now)
    return {
        "incoming_today": incoming.count(),
        "by_network": by_network,
        "open_total": Case.objects.filter(open_q).count(),
        # cases, as «open» counts them: a case overdue for two bodies is one case
        "overdue_total": overdue.values("case_id").distinct().count(),
        "by_body": by_body,
        "trend": trend,
        "by_place": by_place,
        "surges": surges,
    }


# A surge going on longer than this is no longer looked for on the dashboard (the alerts page keeps it).
SURGES_LOOKED_BACK = timedelta(days=14)
SURGES_SHOWN = 20


def current_surges(now: datetime) -> list[Alert]:
    """R-14, «current surges»: those raised in the last 24 hours and those still going on however long ago they
    began (significant within `quiet_minutes` of now: the detector raises nothing new for them, so they would
    otherwise drop off the dashboard while they last), the latest activity first; each with ``ongoing``."""
    from otklik.analysis.surges import SurgeSettings

    quiet = SurgeSettings.from_settings().quiet_minutes * 60
    day_ago = now - timedelta(hours=24)
    shown = []
    for alert in Alert.objects.filter(kind=Alert.Kind.SURGE, created_at__gte=now - SURGES_LOOKED_BACK):
        last_seen = int((alert.evidence or {}).get("last_seen") or alert.created_at.timestamp())
        alert.ongoing = last_seen >= now.timestamp() - quiet  # type: ignore[attr-defined]
        alert.last_seen = datetime.fromtimestamp(last_seen, MSK)  # type: ignore[attr-defined]
        if alert.ongoing or alert.created_at >= day_ago:  # type: ignore[attr-defined]
            shown.append(alert)
    shown.sort(key=lambda a: (a.ongoing, a.last_seen), reverse=True)  # type: ignore[attr-defined]
    return shown[:SURGES_SHOWN]


# A head's list shows the cases with the nearest deadlines first; its heading gives the whole count.
BODY_CASES_SHOWN = 200


def _body_open_cases(body_ids: set[int]) -> Any:  # an annotated QuerySet[Case]
    """The open cases of the bodies (not those a body refused, was replaced in or has answered its part of)
    with the nearest open deadline of the bodies (the curator's review or another body's part is not theirs)."""
    theirs = Assignment.objects.filter(case=OuterRef("pk"), body_id__in=body_ids).exclude(
        state__in=DONE_OR_GONE
    )
    return Case.objects.filter(Exists(theirs), status__in=Case.OPEN_STATUSES).annotate(
        next_due=Min(
            "deadlines__due_at",
            filter=Q(
                deadlines__met_at__isnull=True,
                deadlines__cancelled_at__isnull=True,
                deadlines__body_id__in=body_ids,
            )
            & ~Q(deadlines__stage__in=Deadline.WINDOWS),
        )
    )


def body_cases(body_ids: set[int], now: datetime) -> list[dict[str, Any]]:
    """A head's view: the bodies' open cases, nearest deadline first (the first `BODY_CASES_SHOWN`)."""
    cases = _body_open_cases(body_ids).order_by(F("next_due").asc(nulls_last=True), "id")[:BODY_CASES_SHOWN]
    return [
        {
            "case": c,
            "next_due": c.next_due,
            "overdue": c.next_due is not None and c.next_due < now,
        }
        for c in cases
    ]


def body_totals(body_ids: set[int], now: datetime) -> dict[str, int]:
    """The figures of a head's list: all the bodies' open cases and those overdue by a deadline of the bodies
    (as the office's table counts them per body)."""
    cases = _body_open_cases(body_ids)
    return {"open": cases.count(), "overdue": cases.filter(next_due__lt=now).count()}


def body_people(body_ids: set[int]) -> list[Person]:
    """R-12 with R-6: the head's list of people and their missed deadlines of the head's bodies. It counts the
    violations recorded for those bodies (`Violation.body`), not the person's others: a person working for two
    bodies (`org.duty.work_body_ids`) shows each head that body's own, and a person moved to another body stays
    on the list of the body whose deadlines they missed. Listed: the active people who work for the bodies (their
    place of work or an executor's or a responsible official's role there) and whoever is charged with one of
    the bodies' violations."""
    works = Q(is_active=True) & (
        Q(body_id__in=body_ids)
        | Exists(Role.objects.filter(person=OuterRef("pk"), kind__in=WORKING_ROLES, body_id__in=body_ids))
    )
    missed_here = Violation.objects.filter(person=OuterRef("pk"), body_id__in=body_ids)
    return list(
        Person.objects.filter(works | Exists(missed_here))
        .annotate(missed=Count("violations", filter=Q(violations__body_id__in=body_ids)))
        .select_related("body")
        .order_by("-missed", "last_name", "first_name", "middle_name", "id")
    )


def body_nobody(body_ids: set[int]) -> int:
    """R-12 with R-6: the bodies' violations recorded «только на орган» — nobody of the body was on duty at the due
    moment and no substitute was named (`cases.sla._answerable`): no person's row of the head's list counts them,
    so the list ends with a row of their own, leading to them (`reports.views.person_record`, `?nobody=1`)."""
    return Violation.objects.filter(person__isnull=True, body_id__in=body_ids).count()
