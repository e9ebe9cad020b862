"""Found by a review (session 27), fixed since. R-8.3, reminders: a body's hours change while an answer is running. The first reminder is moved by the hours in
force at each moment (`worktime.recount._move`), but the next one is computed by `sla._remind` with the body's
CURRENT hours counted from the deadline's start, as if the time already worked had been worked by the new hours.

Health works 06:00–12:00 Monday to Friday. A message comes Mon 21.04.2025 06:00: R-8.3's 540 working minutes →
Tue 22.04 09:00. At 09:00 on Monday (180 minutes used) the administrator puts health on the standard hours: the 360
left run 09:00–13:00 (240) and 13:45–15:45 (120) → due Mon 15:45. Reminders: half (270) → Mon 10:30; 80% (432) → the
180 old minutes + 252 new → Mon 13:57. The sweep sends the first at 10:30 but schedules the second at 16:57
(432 standard minutes from 06:00 = from 09:00), after the answer's due moment: the executor never gets it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from otklik.cases.models import Deadline, Notification
from otklik.cases.sla import sweep
from otklik.org.models import Body
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

EARLY = {"week": {day: [["06:00", "12:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}}


def test_second_reminder_follows_the_hours_in_force_after_a_schedule_change(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    Body.objects.filter(pk=p.health.pk).update(schedule=EARLY)  # no signal: the deadlines open on these hours
    p.health.refresh_from_db()
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 21, 6, 0))
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 22, 9, 0)

    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 21, 9, 0))
    p.health.schedule = None  # the standard hours from now on
    p.health.save()

    overall = deadline(case, Deadline.Stage.OVERALL)
    assert overall.due_at == msk(2025, 4, 21, 15, 45)
    assert overall.next_reminder_at == msk(2025, 4, 21, 10, 30)

    sweep(msk(2025, 4, 21, 10, 31))  # the first reminder (half of the term)
    overall.refresh_from_db()
    assert overall.reminder_level == 1
    # the second (80 %): 432 working minutes from the start by the hours in force then → Mon 13:57
    assert overall.next_reminder_at == msk(2025, 4, 21, 13, 57), (
        f"second reminder set for {timezone.localtime(overall.next_reminder_at):%d.%m %H:%M}, "
        f"the answer is due {timezone.localtime(overall.due_at):%d.%m %H:%M}"
    )
    sweep(msk(2025, 4, 21, 15, 40))  # five minutes before the due moment
    reminders = Notification.objects.filter(deadline=overall, kind=Notification.Kind.REMINDER).count()
    assert reminders == 2, f"{reminders} reminder(s) before the answer ran out at 15:45"
