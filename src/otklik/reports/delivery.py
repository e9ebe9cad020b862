"""R-13: the monthly report is generated on the first working day of each month and delivered to observers
(in the app and by e-mail with the XLSX and PDF attached). Running it again the same month changes nothing."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from otklik.notify.models import Notice
from otklik.notify.services import notify_people, observers
from otklik.worktime.service import worktime_for

from . import export, monthly, periods
from .models import ReportRun
from .views import XLSX


def first_working_day(year: int, month: int) -> date:
    start = datetime(year, month, 1, tzinfo=periods.MSK)
    return worktime_for(None).next_working_moment(start).astimezone(periods.MSK).date()


def deliver_monthly(now: datetime | None = None, *, force: bool = False) -> ReportRun | None:
    """Generate and deliver last month's report if today is (or is after) this month's first working day and it
    was not delivered yet; `force` skips the calendar check (a manual run)."""
    now = now or timezone.now()
    today = now.astimezone(periods.MSK).date()
    if not force and today < first_working_day(today.year, today.month):
        return None
    period = periods.previous_month(periods.month(today.year, today.month))
    with transaction.atomic():
        run = (
            ReportRun.objects.select_for_update()
            .filter(kind=ReportRun.Kind.MONTHLY, period_key=period.key)
            .first()
        )
        if run is not None and run.delivered_at is not None:
            return None
        data = monthly.build(period, now)
        if run is None:
            try:
                with transaction.atomic():
                    run = ReportRun.objects.create(
                        kind=ReportRun.Kind.MONTHLY, period_key=period.key, created_at=now, data=data
                    )
            except IntegrityError:
                return None  # another worker got there first
        else:
            run.data = data
        link = f"{reverse('reports:monthly')}?month={period.key}"
        t = data["timeliness"]["total"]
        text = (
            f"Ежемесячный отчёт за {period.label} сформирован.\n"
            f"Обращений: {t['cases']}; ответов в срок: {monthly.fmt_share(t['on_time_share'])}; "
            f"нарушений сроков: {t['violations']}; сообщений: {data['dynamics']['total']['current']}."
        )
        notify_people(
            observers(),
            Notice.Kind.REPORT,
            f"Ежемесячный отчёт за {period.label}",
            text,
            now,
            link=link,
            attachments=[
                (f"otklik-monthly-{period.key}.xlsx", export.monthly_xlsx(data), XLSX),
                (f"otklik-monthly-{period.key}.pdf", export.monthly_pdf(data), "application/pdf"),
            ],
        )
        run.delivered_at = now
        run.save()
    return run
