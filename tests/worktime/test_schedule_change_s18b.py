"""A body's hours changed while a deadline is running: the time already worked keeps the old hours (working time:
REQUIREMENTS «Working time», "Working hours and days follow the body's schedule … editable per body"; R-8.3, R-12).

What a person sees now: the health committee works short hours, 08:00–12:00 Monday to Friday. A message is sent to it
on Monday 21.04.2025 at 08:00: R-8.3's 9 working hours (540 min) run Mon 08–12 (240), Tue 08–12 (240), Wed 08–09
(60) → Wed 23.04 09:00. On Tuesday 22.04 at 11:00, with 420 working minutes gone by the hours in force and 120 left,
the administrator puts the committee back on the standard hours (09:00–18:00, lunch 13:00–13:45). The answer is now
due Tue 22.04 13:00: the 120 minutes left are counted from the change by the new hours
(`worktime.recount.move_body_deadlines` with `WorkTime(..., earlier=[(change, old hours)])`), not the whole term
again from Monday by the new hours (which gave Tue 09:45, a moment already past, and a false R-8.3 violation at
the next sweep). Found by a review (session 18)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

from otklik.cases.models import Deadline, Violation
from otklik.cases.sla import sweep
from otklik.org.models import Body

pytestmark = pytest.mark.django_db

SHORT = {"week": {day: [["08:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}}


def test_putting_a_body_back_on_standard_hours_does_not_make_a_running_answer_overdue(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    Body.objects.filter(pk=p.health.pk).update(schedule=SHORT)  # no signal: the deadlines open on these hours
    p.health.refresh_from_db()
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 21, 8, 0))
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 23, 9, 0)

    changed_at = msk(2025, 4, 22, 11, 0)
    monkeypatch.setattr(timezone, "now", lambda: changed_at)
    p.health.schedule = None  # the administrator empties the box: the standard hours
    p.health.save()

    overall = deadline(case, Deadline.Stage.OVERALL)
    assert overall.due_at == msk(2025, 4, 22, 13, 0), (
        f"R-8.3 moved to {timezone.localtime(overall.due_at):%d.%m %H:%M}, not Tue 13:00 (the change was at "
        f"{changed_at:%d.%m %H:%M} with 120 working minutes left by the hours then in force)"
    )
    sweep(changed_at + timedelta(minutes=5))
    assert not Violation.objects.filter(case=case, rid="R-8.3").exists()
