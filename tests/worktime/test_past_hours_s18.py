"""What already happened keeps the hours it happened in (R-12, R-13; working time: "Working hours and days follow
the body's schedule … editable per body").

What a person sees now: when the administrator changes a body's hours in «Органы» (here the health committee,
from the standard 9:00–18:00 to 8:00–17:00 with lunch 12:00–12:45), the hours it replaces are kept with the moment
they stopped (`worktime.models.BodySchedule`, written by `worktime.signals`), and everything about the past is
counted by the hours then in force (`worktime.service.worktime_then`, a `WorkTime` that switches schedules at the
change): a violation recorded before keeps its lateness on the violations page and in its files, the monthly
report's median and 90th percentile of the time to answer stay as sent to the vice-governor's office, and the
case page's «отсчёт с …» still names the moment the term began to count under the hours of that day. Open
deadlines still move to the new hours (`worktime.recount.move_body_deadlines`). Found by a review (session 18)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from tests.cases.helpers import current_draft, dispatch
from tests.conftest import Personas, msk

from otklik.cases import actions, sla
from otklik.cases.models import Violation
from otklik.reports import deficiencies, monthly, periods
from otklik.worktime.calendar import DayKind
from otklik.worktime.models import BodySchedule
from otklik.worktime.service import worktime_for, worktime_then

pytestmark = pytest.mark.django_db

MSK = ZoneInfo("Europe/Moscow")
ANSWER = "Ирина, здравствуйте! Яму на улице Ленина заделают до пятницы."

EARLIER = {
    "week": {
        day: [["08:00", "12:00"], ["12:45", "17:00"]]
        if day != "fri"
        else [["08:00", "12:00"], ["12:45", "15:45"]]
        for day in ("mon", "tue", "wed", "thu", "fri")
    }
}


def _change_hours(p: Personas) -> None:
    p.health.schedule = EARLIER
    p.health.full_clean()
    p.health.save()


def test_a_recorded_violations_lateness_stays_when_the_body_later_changes_its_hours(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))  # Monday, standard hours
    sla.sweep(now=msk(2025, 4, 28, 17, 0))  # Monday: the draft's term (5 working hours) ran out at 15:45
    recorded = Violation.objects.filter(case=case, stage="draft")
    assert recorded.exists()
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 17, 30))  # 1 h 45 min late
    now = msk(2025, 5, 6, 12, 0)
    before = deficiencies.lateness(recorded, now=now)
    assert before == {recorded.get().pk: 105}

    # a week later the committee moves to earlier hours
    _change_hours(p)

    after = deficiencies.lateness(Violation.objects.filter(case=case, stage="draft"), now=now)
    assert after == before, f"the lateness of violations recorded before the change moved: {before} → {after}"
    # the violations page and its files count the same way
    assert [r["late_minutes"] for r in deficiencies.rows(recorded, now=now)] == [105]


def test_the_monthly_time_to_answer_stays_when_the_body_later_changes_its_hours(personas: Personas) -> None:
    """Monday 28.04.2025: sent at 10:00, published at 17:30 — 10:00–13:00 and 13:45–17:30 of the standard hours,
    405 working minutes (by 8:00–17:00 with lunch 12:00–12:45 it would read 375)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 11, 30))
    actions.confirm_publication(
        p.alice, current_draft(case), url="https://vk.com/wall-1_1?reply=990001", now=msk(2025, 4, 28, 17, 30)
    )

    def health_row() -> tuple[object, object]:
        rows = monthly.build(periods.month(2025, 4))["timeliness"]["rows"]
        row = next(r for r in rows if r["body_id"] == p.health.pk)
        return row["median_minutes"], row["p90_minutes"]

    assert health_row() == (405, 405)
    _change_hours(p)
    assert health_row() == (405, 405)


def test_the_case_page_says_when_the_term_began_to_count_by_the_hours_of_that_day(
    personas: Personas, client: Client
) -> None:
    """Sent Monday 28.04.2025 at 08:30, before the standard 9:00: «отсчёт с 28.04.2025 09:00» — and still so after
    the committee starts at 8:00 (it read «отсчёт с» nothing, 08:30 being working time by the new hours)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 8, 30))
    client.force_login(p.curator)
    url = reverse("cases:detail", args=[case.pk])
    assert "отсчёт с 28.04.2025 09:00" in client.get(url).content.decode()
    _change_hours(p)
    assert "отсчёт с 28.04.2025 09:00" in client.get(url).content.decode()


def test_the_body_keeps_the_hours_it_replaced_and_counts_each_moment_by_the_hours_then(
    personas: Personas,
) -> None:
    """The engine switches at the moment of the change: before it the standard hours, after it the new ones; with
    no change kept it is the body's current engine; a `QuerySet.update()` keeps nothing."""
    p = personas
    assert worktime_then(p.health) is worktime_for(p.health)
    _change_hours(p)
    kept = BodySchedule.objects.get(body=p.health)
    assert kept.schedule is None and kept.valid_from is None
    engine = worktime_then(p.health)
    # long before the change: the standard hours
    assert engine.between(msk(2025, 4, 28, 8, 0), msk(2025, 4, 28, 18, 0)) == 8 * 60 + 15
    assert engine.next_working_moment(msk(2025, 4, 28, 8, 30)) == msk(2025, 4, 28, 9, 0)
    # after it: the new ones, as `worktime_for` counts them
    later = kept.valid_until + dt.timedelta(days=14)
    day = later.astimezone(MSK).date()
    while worktime_for(p.health).calendar.day(day).kind is not DayKind.WORKING or day.weekday() > 3:
        day += dt.timedelta(days=1)
    start, end = msk(day.year, day.month, day.day, 7, 0), msk(day.year, day.month, day.day, 19, 0)
    assert engine.between(start, end) == worktime_for(p.health).between(start, end) == 8 * 60 + 15
    assert engine.next_working_moment(msk(day.year, day.month, day.day, 8, 30)) == msk(
        day.year, day.month, day.day, 8, 30
    )
    # a second change keeps the first one's hours from its moment
    p.health.schedule = None
    p.health.save()
    second = BodySchedule.objects.filter(body=p.health).order_by("valid_until").last()
    assert second is not None and second.schedule == EARLIER and second.valid_from == kept.valid_until


def test_the_switching_engine_counts_each_side_of_the_change_by_its_own_hours() -> None:
    """`WorkTime(calendar, new, earlier=[(change, old)])`: working time across the change is the old hours' time up
    to it plus the new hours' time after it; `add` and the batch paths agree with it."""
    import numpy as np

    from otklik.worktime import WeeklySchedule, WorkTime, default_worktime

    calendar = default_worktime().calendar
    old, new = WeeklySchedule.default(), WeeklySchedule.from_dict(EARLIER)
    change = msk(2025, 4, 29, 10, 20)  # Tuesday, in the morning
    before, after = WorkTime(calendar, old), WorkTime(calendar, new)
    both = WorkTime(calendar, new, [(change, old)])
    assert both.schedule_at(msk(2025, 4, 29, 10, 0)) is old and both.schedule_at(change) is new
    starts = [
        msk(2025, 4, 25, 17, 0),
        msk(2025, 4, 28, 8, 30),
        msk(2025, 4, 29, 8, 10),
        msk(2025, 4, 29, 10, 20),
    ]
    ends = [msk(2025, 4, 29, 10, 20), msk(2025, 4, 29, 12, 30), msk(2025, 4, 30, 8, 5), msk(2025, 5, 6, 9, 0)]
    for a in starts:
        for b in ends:
            expected = (before.working_time(a, min(b, change)) if a < change else dt.timedelta(0)) + (
                after.working_time(max(a, change), b) if b > change else dt.timedelta(0)
            )
            assert both.working_time(a, b) == expected, (a, b)
            minutes = both.between(a, b)
            assert both.between(a, both.add(a, minutes)) == minutes
    assert list(both.between_many(starts, ends)) == [
        both.between(a, b) for a, b in zip(starts, ends, strict=True)
    ]
    assert list(both.add_many(starts, np.array([60, 120, 300, 540])).astype("datetime64[us]")) == [
        np.datetime64(both.add(a, m).astimezone(dt.UTC).replace(tzinfo=None), "us")
        for a, m in zip(starts, [60, 120, 300, 540], strict=True)
    ]
    # Tuesday: 09:00–10:20 by the standard hours, then 10:20–12:00 and 12:45–17:00 by the new ones
    assert both.between(msk(2025, 4, 29, 0, 0), msk(2025, 4, 30, 0, 0)) == 80 + 100 + 255
    assert WorkTime(calendar, old, []).between(starts[0], ends[-1]) == before.between(starts[0], ends[-1])


def test_the_bodys_admin_page_lists_the_hours_it_worked_by_before(personas: Personas, client: Client) -> None:
    p = personas
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    url = reverse("admin:org_body_change", args=[p.health.pk])
    assert "не менялся" in client.get(url).content.decode()
    _change_hours(p)
    page = client.get(url).content.decode()
    assert "прежние графики работы" in page.lower() and "типовой график" in page
    p.health.schedule = None
    p.health.save()
    page = client.get(url).content.decode()
    assert "пн–чт 08:00–12:00, 12:45–17:00; пт 08:00–12:00, 12:45–15:45" in page
