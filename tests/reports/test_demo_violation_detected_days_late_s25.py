"""Found by a review (session 25), fixed since. `otklik demo` on Wednesday 2 December: the demo's overdue case (message «В Сланцах закрыли стоматологию…», high
importance, R-8.3/R-8.4 term ran out on Monday 30.11 13:00) gets its violations «выявлено» only at the demo's end,
02.12 12:20 — two working days after the term ran out. The observer opening «Недостатки» for November (R-12,
violations of the month) does not find this violation of 30 November; it turns up in December's list and in the
December monthly report (R-13), whose «Нарушений» counts it, while November's does not.

The same with the surge's nine cases (terms ran out 01.12 ~16:00, detected 02.12 12:20) and, in the quarter, every
late step: its violation is dated when the late step was finally taken, not when the term ran out — which is when
the real clock's sweep (every minute under `make run`) records it.

Cause: src/otklik/cases/demo.py `load_demo_cases` runs `sla.sweep(now=now)` only once, at the very end, and
src/otklik/reports/demo.py `_surge`/`add_demo_quarter` sweep only at 23:00 after each day's cases were already
driven to completion (days later); no sweep runs at the moments the terms expire."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from otklik.org.models import Person
from tests.conftest import msk

NOW = msk(2026, 12, 2, 12, 20)  # Wednesday, working hours


@pytest.mark.django_db
def test_r12_demo_violation_of_november_is_in_novembers_deficiencies(client: Client) -> None:
    from otklik.cases.models import Case, Violation

    call_command("demo", now=NOW.isoformat(), stdout=StringIO())

    overdue = Case.objects.get(case_messages__message__external_id="demo-wall-1_1010")
    ran_out = list(Violation.objects.filter(case=overdue))
    assert ran_out, "the demo's overdue case has its violations"
    assert all(timezone.localtime(v.due_at).month == 11 for v in ran_out)  # term ran out on 30 November

    client.force_login(Person.objects.get(username="observer"))
    november = client.get("/reports/violations/?from=2026-11-01&to=2026-11-30").content.decode()
    december = client.get("/reports/violations/?from=2026-12-01&to=2026-12-02").content.decode()

    # the violation of 30.11 is a November deficiency, detected when its term ran out
    assert f'href="/cases/{overdue.pk}/"' in november, (
        "November's «Недостатки» misses the violation whose term ran out on 30.11 13:00"
    )
    assert [timezone.localtime(v.detected_at).date() for v in ran_out] == [
        timezone.localtime(v.due_at).date() for v in ran_out
    ]
    assert "30.11.2026 13:00" not in december
