"""Found by a review (session 26), fixed since. R-13 on a new installation: the monthly report «разослан» while there is no observer yet, and never sent after."""

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


def test_r13_monthly_report_run_before_any_observer_is_kept_for_the_observer_added_later(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A new installation: the administrator has set up the information policy office and a curator; the
    vice-governor's office (observers) is not entered yet. On the first working day of December the clock's
    `otklik report deliver` runs and prints «Отчёт за 2025-11 разослан.» — to nobody: no notice, no letter. The
    administrator adds the observer the next day and runs `otklik report deliver --force` by hand to send him the
    November report: «Рассылать нечего.», and the observer never gets the report of clause 13 (R-13: the monthly
    report for the vice-governor). The run was marked delivered although it reached no one
    (`reports.delivery._deliver` sets `delivered_at` whatever `observers()` returned)."""
    office = Body.objects.create(name="Управление информационной политики", is_coordinator=True)
    make_person("curator", office, Role.Kind.CURATOR)

    # the operator (cron's mail) is told nobody got it, and the report is kept for the observers to come
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(CommandError, match="сформирован, но не разослан: в системе нет ни одного наблюдателя"),
    ):
        call_command("report", "deliver", "--now", "2025-12-01T09:00+03:00")
    said_first = "(refused)"

    observer = make_person("observer", None, Role.Kind.OBSERVER)
    observer.email = "observer@example.org"
    observer.save()
    second = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("report", "deliver", "--force", "--now", "2025-12-02T10:00+03:00", stdout=second)

    got = Notice.objects.filter(recipient=observer, kind=Notice.Kind.REPORT).count()
    assert got == 1, (
        f"first run said {said_first.strip()!r} with no observer; after the observer was added "
        f"`report deliver --force` said {second.getvalue().strip()!r} and the observer has {got} report notices"
    )
