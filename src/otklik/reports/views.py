"""Report pages and downloads (R-12, R-13)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from otklik.cases.models import Violation
from otklik.cases.paging import page_of
from otklik.org.duty import work_body_ids
from otklik.org.models import Body, Person

from . import dashboard as dashboards
from . import deficiencies, export, monthly, periods, rating
from .access import can_read_rating, can_read_reports, require_reader

log = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def default_month(today: date | None = None) -> periods.Period:
    today = today or timezone.localdate()
    return periods.previous_month(periods.month(today.year, today.month))


def _month_from(request: HttpRequest) -> periods.Period:
    """The month asked for, or the previous month; ValueError with a Russian message for a wrong one."""
    raw = request.GET.get("month", "").strip()
    return periods.parse_month(raw) if raw else default_month()


FILTER_LIMITS = {
    "min_month": f"{periods.MIN_YEAR}-01",
    "max_month": f"{periods.MAX_YEAR}-12",
    "min_day": f"{periods.MIN_YEAR}-01-01",
    "max_day": f"{periods.MAX_YEAR}-12-31",
}


def _filter_error(
    request: HttpRequest, template: str, error: ValueError, context: dict[str, Any]
) -> HttpResponse:
    """The report page again with the filter and the message why its value was not accepted (status 400)."""
    return render(request, template, {**FILTER_LIMITS, **context, "error": str(error)}, status=400)


def _bars(rows: list[dict[str, Any]], field: str, scale: float | None = None) -> list[dict[str, Any]]:
    top = scale or max((float(r[field] or 0) for r in rows), default=0) or 1
    return [
        {
            "label": r["body"] if "body" in r else r["name"],
            "value": r[field],
            "pct": round(float(r[field] or 0) / top * 100),
        }
        for r in rows
    ]


@login_required
def monthly_page(request: HttpRequest) -> HttpResponse:
    """R-13: the monthly report on a page, with the same figures as the XLSX and PDF."""
    require_reader(request.user)
    try:
        period = _month_from(request)
    except ValueError as e:
        return _filter_error(
            request, "reports/monthly.html", e, {"month_value": request.GET.get("month", "")}
        )
    report = monthly.build(period)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _download(export.monthly_xlsx(report), XLSX, f"otklik-monthly-{period.key}.xlsx")
    if fmt == "pdf":
        return _pdf(request, lambda: export.monthly_pdf(report), f"otklik-monthly-{period.key}.pdf")
    if fmt == "json":
        return _download(export.to_json(report), "application/json", f"otklik-monthly-{period.key}.json")
    t = report["timeliness"]
    dyn = report["dynamics"]
    before = periods.previous_month(period)
    following = periods.month(period.end.year, period.end.month)
    context = {
        "report": report,
        "period": period,
        "month_value": period.key,
        **FILTER_LIMITS,
        # as the rating's quarters: no month before the supported years, none that has not begun yet
        "prev": before.key if before.start.year >= periods.MIN_YEAR else None,
        "next": following.key if following.start.date() <= timezone.localdate() else None,
        "stages": report["stages"],
        "unfinished": export.unfinished_note(report),
        "on_time_bars": [
            {
                "label": r["body"],
                "value": monthly.fmt_share(r["on_time_share"]),
                "pct": round((r["on_time_share"] or 0) * 100),
            }
            for r in t["rows"]
        ],
        "violation_bars": _bars(t["rows"], "violations"),
        "dimensions": [
            {**dyn[k], "bars": _bars(dyn[k]["rows"], "current"), "key": k}
            for k in ("topic_group", "municipality", "network", "importance")
        ],
        "change": {
            k: monthly.change(dyn["total"]["current"], dyn["total"][k]) for k in ("previous", "year_ago")
        },
    }
    return render(request, "reports/monthly.html", context)


def _pdf(request: HttpRequest, make: Callable[[], bytes], filename: str) -> HttpResponse:
    """The report as PDF; without the font the PDF needs (`export.FontMissing`: the server lacks DejaVu Sans), a page
    that says so in Russian and offers the XLSX of the same report, not «Внутренняя ошибка»."""
    try:
        data = make()
    except export.FontMissing as exc:
        log.error("PDF report %s not built: %s", filename, exc)
        query = request.GET.copy()
        query["format"] = "xlsx"
        back = request.GET.copy()
        back.pop("format", None)
        context = {
            "error": str(exc),
            "xlsx": f"{request.path}?{query.urlencode()}",
            "back": f"{request.path}?{back.urlencode()}" if back else request.path,
        }
        return render(request, "reports/pdf_missing.html", context, status=503)
    return _download(data, "application/pdf", filename)


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _span_from(request: HttpRequest) -> periods.Period:
    """From the first day of this month to today unless given; ValueError with a Russian message."""
    today = timezone.localdate()
    first = request.GET.get("from") or today.replace(day=1).isoformat()
    last = request.GET.get("to") or today.isoformat()
    return periods.parse_span(first, last)


@login_required
def violations_page(request: HttpRequest) -> HttpResponse:
    """R-12: the deficiencies report for the vice-governor's office."""
    require_reader(request.user)
    try:
        period = _span_from(request)
    except ValueError as e:
        raw = {"first": request.GET.get("from", ""), "last": request.GET.get("to", "")}
        return _filter_error(request, "reports/violations.html", e, raw)
    data = deficiencies.build(period)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _download(export.violations_xlsx(data), XLSX, f"otklik-violations-{period.key}.xlsx")
    if fmt == "pdf":
        return _pdf(request, lambda: export.violations_pdf(data), f"otklik-violations-{period.key}.pdf")
    if fmt == "json":
        return _download(export.to_json(data), "application/json", f"otklik-violations-{period.key}.json")
    return render(
        request,
        "reports/violations.html",
        {
            "data": data,
            "period": period,
            "first": period.start.date().isoformat(),
            "last": period.last_day.isoformat(),
            **FILTER_LIMITS,
        },
    )


def record_bodies(viewer: Any, person: Person) -> set[int] | None:
    """R-12 with R-6: whose missed deadlines `viewer` reads on `person`'s record. None: all of them (the person
    and the readers of reports). A body's head reads the violations recorded for the head's bodies
    (`Violation.body`), whoever they are charged to: a person working for two bodies, or moved to another body,
    shows each head that body's own. An empty set: the viewer may not open the record."""
    if viewer.pk == person.pk or can_read_reports(viewer):
        return None
    heads_of: set[int] = viewer.responsible_body_ids()
    if not heads_of:
        return set()
    if work_body_ids(person) & heads_of or person.violations.filter(body_id__in=heads_of).exists():
        return heads_of
    return set()


def _whose(bodies: set[int] | None) -> str:
    """A head's record page says whose violations it shows: «органа «Дороги»» (or «органов …»)."""
    if bodies is None:
        return ""
    names = [f"«{monthly.body_label(b)}»" for b in Body.objects.filter(pk__in=bodies).order_by("name")]
    return ("органа " if len(names) == 1 else "органов ") + ", ".join(names)


def nobody_bodies(viewer: Any, mine: bool = False) -> set[int] | None:
    """R-12 with R-6: whose violations recorded on nobody (`person` None: nobody of the body was on duty at the due
    moment) `viewer` reads. None: all of them (the readers of reports); a body's head: the head's bodies' — also a
    head who reads reports, coming from the row of his bodies (`mine`: the dashboard's «Сотрудники органа»); an
    empty set: the viewer may not open the list."""
    heads_of = set(viewer.responsible_body_ids())
    if can_read_reports(viewer) and not (mine and heads_of):
        return None
    return heads_of


@login_required
def person_record(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """R-12: a person's own record of missed deadlines (their head and the readers of reports see it too). With
    `?nobody=1` (no person in the address): the violations recorded on nobody of a body, the row «Никто не назначен
    (нарушение органа)» of the head's dashboard (`dashboard.body_nobody`), with the same filter, paging and totals."""
    nobody = pk is None and request.GET.get("nobody") == "1"
    mine = nobody and request.GET.get("mine") == "1"
    if nobody:
        bodies = nobody_bodies(request.user, mine)
        if bodies == set():
            raise PermissionDenied(
                "Нарушения сроков, за которые никто не назначен, видят руководители органов и наблюдатели."
            )
        theirs = Q(person__isnull=True) & (Q(body__isnull=False) if bodies is None else Q(body_id__in=bodies))
        name = "никто не назначен (нарушения органа)"
    else:
        person = get_object_or_404(Person, pk=pk) if pk is not None else cast(Person, request.user)
        bodies = record_bodies(request.user, person)
        if bodies == set():
            raise PermissionDenied(
                "Эта страница доступна самому сотруднику, его руководителю и наблюдателям."
            )
        theirs = Q(person=person) if bodies is None else Q(person=person, body_id__in=bodies)
        name = deficiencies.person_label(person)
    context: dict[str, Any] = {
        "nobody": nobody,
        "mine": mine,
        "name": name,
        "first": request.GET.get("from", "").strip(),
        "last": request.GET.get("to", "").strip(),
        "bodies": _whose(bodies),
        **FILTER_LIMITS,
    }
    qs = Violation.objects.filter(theirs)
    if context["first"] or context["last"]:
        # either end may be left empty: from the first supported day, or to today
        try:
            period = periods.parse_span(
                context["first"] or FILTER_LIMITS["min_day"],
                context["last"] or timezone.localdate().isoformat(),
            )
        except ValueError as e:
            return _filter_error(request, "reports/person_record.html", e, context)
        # as the violations report counts them: the person's line there for the same days is this page's total
        qs = deficiencies.in_period(period).filter(theirs)
        context["period"] = period
    now = timezone.now()
    page = page_of(request, deficiencies.with_relations(qs).order_by("-due_at", "-id"))
    # the totals need every violation's lateness (the working-time engine, exact); the rows only the page's
    late = deficiencies.lateness(qs, now)
    return render(
        request,
        "reports/person_record.html",
        {
            **context,
            "page_obj": page,
            "items": deficiencies.rows_of(page.object_list, now, late),
            "total": len(late),
            "late": sum(late.values()),
        },
    )


def default_quarter(today: date | None = None) -> periods.Period:
    return periods.previous_quarter(periods.quarter_of(today or timezone.localdate()))


@login_required
def rating_page(request: HttpRequest) -> HttpResponse:
    """R-13: the quarterly rating with its formula, every component, the rank and the change."""
    if not can_read_rating(request.user):
        raise PermissionDenied(
            "Рейтинг доступен наблюдателям, кураторам, администраторам и руководителям органов."
        )
    today = timezone.localdate()
    raw = request.GET.get("quarter", "").strip()
    try:
        period = periods.parse_quarter(raw) if raw else default_quarter(today)
    except ValueError as e:
        choices = rating.quarter_choices(None, today)
        return _filter_error(request, "reports/rating.html", e, {"quarters": choices})
    data = rating.build(period)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _download(export.rating_xlsx(data), XLSX, f"otklik-rating-{period.key}.xlsx")
    if fmt == "pdf":
        return _pdf(request, lambda: export.rating_pdf(data), f"otklik-rating-{period.key}.pdf")
    if fmt == "json":
        return _download(export.to_json(data), "application/json", f"otklik-rating-{period.key}.json")
    following = periods.next_quarter(period)
    before = periods.previous_quarter(period)
    return render(
        request,
        "reports/rating.html",
        {
            "data": data,
            "period": period,
            "rankings": [
                {
                    "ranking": r,
                    "rows": data[r.rows],
                    "empty": rating.empty_text(data, r),
                    "testid": "rating" if r is rating.EXECUTIVE else "rating-municipal",
                }
                for r in rating.RANKINGS
            ],
            "prev": before.key if before.start.year >= periods.MIN_YEAR else None,
            "next": following.key if following.start.date() <= today else None,
            "unfinished": export.unfinished_note(data),
            "quarters": rating.quarter_choices(period, today),
            "can_edit": getattr(request.user, "is_administrator", False),
        },
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Curators and observers: the oblast at a glance; a body's head: their bodies' cases and deadlines."""
    me: Person = request.user  # type: ignore[assignment]
    now = timezone.now()
    heads_of = me.responsible_body_ids()
    if not can_read_reports(me) and not heads_of:
        raise PermissionDenied("Сводка доступна кураторам, наблюдателям и руководителям органов.")
    context: dict[str, Any] = {"now": now}
    if can_read_reports(me):
        context["overview"] = dashboards.overview(now)
    if heads_of:
        context["body_cases"] = dashboards.body_cases(heads_of, now)
        context["body_totals"] = dashboards.body_totals(heads_of, now)
        context["body_people"] = dashboards.body_people(heads_of)
        context["body_nobody"] = dashboards.body_nobody(heads_of)
        context["bodies"] = ", ".join(monthly.body_label(b) for b in Body.objects.filter(pk__in=heads_of))
    return render(request, "reports/dashboard.html", context)
