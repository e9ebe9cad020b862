"""R-13: the monthly report is generated on the first working day of each month, and the quarterly rating on the
first working day of each quarter, and delivered to observers (in the app and by e-mail with the XLSX and PDF
attached). Running it again the same month (quarter) changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from otklik.notify.models import Notice
from otklik.notify.services import Attachment, notify_people, observers
from otklik.web.numbers import decimal
from otklik.worktime.calendar import CalendarRangeError
from otklik.worktime.service import ADD_YEAR_WHERE, worktime_for

from . import export, monthly, periods, rating
from .models import ReportRun
from .views import XLSX

log = logging.getLogger(__name__)


def first_working_day(year: int, month: int, *, log_gap: bool = True) -> date | None:
    """The month's first working day; None (with an ERROR logged, unless `log_gap` is false: the caller already
    logged it) when the production calendar does not reach the month: the report waits until the administrator
    loads the year, the worker goes on."""
    start = datetime(year, month, 1, tzinfo=periods.MSK)
    try:
        return worktime_for(None).next_working_moment(start).astimezone(periods.MSK).date()
    except CalendarRangeError as exc:
        if not log_gap:
            return None
        log.error(
            "reports for %02d.%s not delivered: the production calendar does not reach that month, load the "
            "calendar of %s (%s)",
            month,
            year,
            year,
            exc,
        )
        return None


def _not_yet(today: date, year: int, month: int) -> bool:
    """Whether today is before the first working day of the month (or that day cannot be known yet)."""
    first = first_working_day(year, month)
    return first is None or today < first


def calendar_gap(now: datetime, *, rating: bool = False) -> str:
    """Why a delivery due this month (this quarter: `rating`) cannot be made, in Russian for the administrator who
    runs `otklik report deliver` by hand or from cron; "" when the production calendar reaches the month. Logs
    nothing: the delivery that found the gap logged it."""
    today = now.astimezone(periods.MSK).date()
    start = periods.quarter_of(today).start if rating else today.replace(day=1)
    if first_working_day(start.year, start.month, log_gap=False) is not None:
        return ""
    return (
        f"Производственный календарь не охватывает {start:%m.%Y}: первый рабочий день месяца неизвестен, "
        f"{'рейтинг не разослан' if rating else 'отчёт не разослан'}. Загрузите календарь на {start.year} год: "
        f"{ADD_YEAR_WHERE} (или запустите с --force)."
    )


def deliver_monthly(now: datetime | None = None, *, force: bool = False) -> ReportRun | None:
    """Generate and deliver last month's report if today is (or is after) this month's first working day and it
    was not delivered yet; `force` skips the calendar check (a manual run)."""
    now = now or timezone.now()
    today = now.astimezone(periods.MSK).date()
    if not force and _not_yet(today, today.year, today.month):
        return None
    period = periods.previous_month(periods.month(today.year, today.month))
    for kept in _kept_before(ReportRun.Kind.MONTHLY, period, periods.parse_month):
        _deliver(ReportRun.Kind.MONTHLY, kept, now, monthly.build, partial(_monthly_letter, kept))
    return _deliver(ReportRun.Kind.MONTHLY, period, now, monthly.build, partial(_monthly_letter, period))


def _monthly_letter(period: periods.Period, data: dict[str, Any]) -> Letter:
    """The letter of one month's report to the observers."""
    t = data["timeliness"]["total"]
    text = (
        f"Ежемесячный отчёт за {period.label} сформирован.\n"
        f"Обращений: {t['cases']}; ответов в срок: {monthly.fmt_share(t['on_time_share'])}; "
        f"нарушений сроков: {t['violations']}; сообщений: {data['dynamics']['total']['current']}."
    )
    return Letter(
        f"Ежемесячный отчёт за {period.label}",
        text,
        f"{reverse('reports:monthly')}?month={period.key}",
        [
            (f"otklik-monthly-{period.key}.xlsx", export.monthly_xlsx(data), XLSX),
            (f"otklik-monthly-{period.key}.pdf", export.monthly_pdf(data), "application/pdf"),
        ],
    )


def deliver_rating(now: datetime | None = None, *, force: bool = False) -> ReportRun | None:
    """R-13: form and deliver last quarter's rating of the bodies if today is (or is after) the first working day
    of this quarter and it was not delivered yet. The rating kept is the one of that day's formula."""
    now = now or timezone.now()
    today = now.astimezone(periods.MSK).date()
    current = periods.quarter_of(today)
    if not force and _not_yet(today, current.start.year, current.start.month):
        return None
    period = periods.previous_quarter(current)
    for kept in _kept_before(ReportRun.Kind.RATING, period, periods.parse_quarter):
        _deliver(ReportRun.Kind.RATING, kept, now, rating.build, partial(_rating_letter, kept))
    return _deliver(ReportRun.Kind.RATING, period, now, rating.build, partial(_rating_letter, period))


def _rating_letter(period: periods.Period, data: dict[str, Any]) -> Letter:
    """The letter of one quarter's rating to the observers."""

    def leaders(rows: list[dict[str, Any]]) -> str:
        first = [r for r in rows if r["rank"] == 1]
        names = ", ".join(r["body"] for r in first)
        place = "первое место" if len(first) == 1 else "первые места"
        return f"{place}: {names} (балл {decimal(first[0]['score'], 1)})"

    # the rating of clause 13 is the executive bodies'; the administrations' own ranking follows it, when any
    # administration received cases in the quarter
    rows, municipal = data["rows"], data["municipal_rows"]
    if data.get("formula_problem"):
        summary = str(data["formula_problem"])
    else:
        if rows:
            summary = (
                f"Органов в рейтинге: {len(rows)} (органы исполнительной власти области); {leaders(rows)}."
            )
        else:
            summary = f"Органов в рейтинге нет. {rating.empty_text(data, rating.EXECUTIVE)}"
        if municipal:
            summary += (
                f"\nАдминистраций муниципальных образований в их отдельном рейтинге: {len(municipal)}; "
                f"{leaders(municipal)}."
            )
        elif data["municipal_received"]["cases"]:
            summary += (
                "\nРейтинг администраций муниципальных образований пуст. "
                f"{rating.empty_text(data, rating.MUNICIPAL)}"
            )
    return Letter(
        f"Квартальный рейтинг органов за {period.label}",
        f"Квартальный рейтинг органов за {period.label} сформирован.\n{summary}",
        f"{reverse('reports:rating')}?quarter={period.key}",
        [
            (f"otklik-rating-{period.key}.xlsx", export.rating_xlsx(data), XLSX),
            (f"otklik-rating-{period.key}.pdf", export.rating_pdf(data), "application/pdf"),
        ],
    )


def _kept_before(
    kind: str, period: periods.Period, parse: Callable[[str], periods.Period]
) -> list[periods.Period]:
    """The earlier periods whose report was kept and not delivered (no observer then), oldest first, once there is
    an observer to deliver them to: `deliver_monthly` and `deliver_rating` deliver them before the period due now,
    so a report kept «for the next run» is not lost when the month or quarter turns before an observer is entered."""
    if not observers():
        return []
    keys = (
        ReportRun.objects.filter(kind=kind, delivered_at__isnull=True, period_key__lt=period.key)
        .order_by("period_key")
        .values_list("period_key", flat=True)
    )
    return [parse(key) for key in keys]


@dataclass
class Letter:
    title: str
    text: str
    link: str
    attachments: list[Attachment]


def _deliver(
    kind: str,
    period: periods.Period,
    now: datetime,
    build: Callable[[periods.Period, datetime], dict[str, Any]],
    letter: Callable[[dict[str, Any]], Letter],
) -> ReportRun | None:
    """Keep the report of `period` and deliver it to the observers (in the app, and by e-mail with its files),
    once: a second run, a second clock or a second worker finds it delivered and does nothing."""
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(kind=kind, period_key=period.key).first()
        if run is not None and run.delivered_at is not None:
            return None
        readers = observers()
        if run is not None and not readers:
            return run  # kept before, and still nobody to deliver it to: not built again every hour
        data = build(period, now)
        if run is None:
            try:
                with transaction.atomic():
                    run = ReportRun.objects.create(
                        kind=kind, period_key=period.key, created_at=now, data=data
                    )
            except IntegrityError:
                return None  # another worker got there first
        else:
            run.data = data
        if not readers:
            # nobody to read it yet (a fresh installation before its observers are entered): kept, not delivered;
            # the next run delivers it once there is someone
            run.save()
            log.warning("%s report %s kept, not delivered: there are no observers", kind, period.key)
            return run
        out = letter(data)
        notify_people(
            readers,
            Notice.Kind.REPORT,
            out.title,
            out.text,
            now,
            link=out.link,
            attachments=out.attachments,
        )
        run.delivered_at = now
        run.save()
    return run
