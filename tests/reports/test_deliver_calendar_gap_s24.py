"""Found by a review (session 23), fixed in session 24. R-13 with the working-time rule: `otklik report deliver`,
run daily by cron, must not say «Рассылать нечего.» and exit 0 when the production calendar does not reach the
month — the monthly report (and the quarter's rating) would then silently never go out.

Scenario: the calendar is loaded up to 2027 (the provisional year after it is counted by the Labour Code); on
03.02.2030 the administrator's cron runs `otklik report deliver` and `otklik report deliver --rating`. Before the
fix each printed «Рассылать нечего.» and exited 0 (only the log had an ERROR). Now each exits with a Russian error
that names the month, says nothing was sent and where to load the calendar; a day with nothing due still prints
«Рассылать нечего.»
"""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from otklik.reports.delivery import first_working_day
from otklik.reports.models import ReportRun
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r13_deliver_fails_in_russian_when_the_calendar_does_not_reach_the_month(personas: Personas) -> None:
    assert first_working_day(2030, 2) is None  # the calendar shipped does not reach February 2030
    with pytest.raises(CommandError) as monthly:
        call_command("report", "deliver", "--now", "2030-02-03T09:00:00+03:00", stdout=StringIO())
    assert "Производственный календарь не охватывает 02.2030" in str(monthly.value)
    assert "отчёт не разослан" in str(monthly.value) and "Загрузите календарь на 2030 год" in str(
        monthly.value
    )
    with pytest.raises(CommandError) as quarterly:
        call_command("report", "deliver", "--rating", "--now", "2030-02-03T09:00:00+03:00", stdout=StringIO())
    assert "не охватывает 01.2030" in str(quarterly.value) and "рейтинг не разослан" in str(quarterly.value)
    assert not ReportRun.objects.exists()


def test_r13_deliver_with_nothing_due_still_says_so(personas: Personas) -> None:
    ReportRun.objects.create(
        kind="monthly", period_key="2025-09", created_at=msk(2025, 10, 1), delivered_at=msk(2025, 10, 1)
    )
    out = StringIO()
    call_command("report", "deliver", "--now", "2025-10-02T09:00:00+03:00", stdout=out)
    assert out.getvalue().strip() == "Рассылать нечего."


def test_r13_deliver_logs_the_calendar_gap_once(personas: Personas, caplog: pytest.LogCaptureFixture) -> None:
    """Session 25: the log of a failed cron run holds the gap once, not once per check of the same month."""
    with caplog.at_level(logging.ERROR, logger="otklik.reports.delivery"), pytest.raises(CommandError):
        call_command("report", "deliver", "--now", "2030-02-03T09:00:00+03:00", stdout=StringIO())
    gaps = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(gaps) == 1, gaps
    assert "reports for 02.2030 not delivered" in gaps[0]
