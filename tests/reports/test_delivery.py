"""R-13: the monthly report is generated on the first working day of the month and delivered to observers once."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from otklik.notify.models import Notice
from otklik.reports.delivery import deliver_monthly, first_working_day
from otklik.reports.models import ReportRun
from tests.conftest import Personas, msk
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db


def test_first_working_day_follows_the_production_calendar() -> None:
    assert first_working_day(2025, 10) == date(2025, 10, 1)
    assert first_working_day(2025, 11) == date(2025, 11, 1)  # the moved working Saturday
    assert first_working_day(2025, 5) == date(2025, 5, 5)  # 1–4 May are holidays
    assert first_working_day(2025, 6) == date(2025, 6, 2)  # 1 June is a Sunday


def test_report_is_delivered_to_observers_once_with_xlsx_and_pdf(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    p.observer.email = "observer@example.org"
    p.observer.save()
    build_october(p)
    ReportRun.objects.create(
        kind="monthly", period_key="2025-09", created_at=msk(2025, 10, 1), delivered_at=msk(2025, 10, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = deliver_monthly(msk(2025, 11, 1, 8, 0))
    assert run is not None and run.period_key == "2025-10"
    assert run.data["timeliness"]["total"]["violations"] == 4
    notice = Notice.objects.get(recipient=p.observer)
    assert (
        notice.title == "Ежемесячный отчёт за октябрь 2025"
        and notice.link == "/reports/monthly/?month=2025-10"
    )
    assert len(mail.outbox) == 1
    names = [a[0] for a in mail.outbox[0].attachments]
    assert names == ["otklik-monthly-2025-10.xlsx", "otklik-monthly-2025-10.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_monthly(msk(2025, 11, 5, 8, 0)) is None
        call_command("report", "deliver", "--now", "2025-11-06T09:00:00+03:00")
    assert Notice.objects.filter(recipient=p.observer).count() == 1 and len(mail.outbox) == 1
