"""Found by a review (session 27), fixed since. R-13: a report kept for want of observers must reach the observer added later, even after the month turned."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from otklik.notify.models import Notice
from otklik.org.models import Body, Role
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def test_kept_monthly_report_reaches_an_observer_added_after_the_month_turned(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A new installation without observers: on 01.12.2025 cron's `otklik report deliver` says the November report
    is «сформирован, но не разослан … Заведите наблюдателей — следующий запуск разошлёт его». The observer is
    entered in January; the run of 12.01.2026 (first working day) sends the December report only — the November
    one, kept «for the observers to come», is never sent to anybody."""
    office = Body.objects.create(name="Управление информационной политики", is_coordinator=True)
    make_person("curator", office, Role.Kind.CURATOR)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CommandError, match="следующий запуск разошлёт его"),
    ):
        call_command("report", "deliver", "--now", "2025-12-01T09:00+03:00")

    observer = make_person("observer", None, Role.Kind.OBSERVER)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("report", "deliver", "--now", "2026-01-12T10:00+03:00", stdout=out)
        call_command("report", "deliver", "--now", "2026-01-13T10:00+03:00", stdout=out)
    titles = sorted(
        Notice.objects.filter(recipient=observer, kind=Notice.Kind.REPORT).values_list("title", flat=True)
    )
    assert titles == ["Ежемесячный отчёт за декабрь 2025", "Ежемесячный отчёт за ноябрь 2025"], (
        titles,
        out.getvalue(),
    )
