"""A body's schedule corrected while its cases are open (working time: REQUIREMENTS «Working time», "Working hours
and days follow the body's schedule … editable per body"; R-8.3, R-8.4, R-8.9, R-12).

What the administrator sees now: saving a new schedule of a body in «Органы» moves that body's open deadlines to
where the new hours put them (`worktime.recount.move_body_deadlines`, on every save that changes the schedule:
`worktime.signals`): the working time already gone by the moment of the save stays counted by the old hours, what
is left is counted by the new hours from then (session 18b). The admin says how many moved, each case's history
says «Срок … перенесён с … на …: изменён график работы органа «…»; рабочее время до изменения считается по
прежнему графику, оставшееся — по новому с момента изменения», the reminders move with the deadlines, a stage is
still never due after the whole answer, and what was met, cancelled or recorded as violated stays as it was.
Found by a review (session 18)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone
from tests.cases.helpers import deadline, dispatch, parts_in
from tests.conftest import Personas, msk

from otklik.cases.models import Case, CaseEvent, Deadline, Violation
from otklik.cases.sla import sweep
from otklik.org.models import Body

pytestmark = pytest.mark.django_db

# Summer hours of a body: Monday to Friday 08:00–17:00 without a lunch break.
EARLY = {"week": {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}}


def _save_schedule(client: Client, body: Body, schedule: dict[str, object] | None) -> None:
    response = client.post(
        f"/admin/org/body/{body.pk}/change/",
        {
            "name": body.name,
            "short_name": body.short_name,
            "level": "oblast",
            "municipality": "",
            "schedule": json.dumps(schedule) if schedule else "",
            "email": "",
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.fixture
def admin_client(personas: Personas, client: Client) -> Client:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def _early(body: Body) -> None:
    Body.objects.filter(pk=body.pk).update(
        schedule=EARLY
    )  # no signal: the deadlines below open on these hours
    body.refresh_from_db()


def _at(monkeypatch: pytest.MonkeyPatch, moment: object) -> None:
    """The administrator saves the schedule at `moment` (the change's moment is when it is saved)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_body_back_on_its_usual_hours_gets_its_open_deadlines_by_those_hours(
    personas: Personas, admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Health works 08:00–17:00 (summer hours). Monday 28.04.2025 10:00 the curator sends it a message: R-8.3's 9
    working hours run Monday 10:00–17:00 (420) and Tuesday 08:00–10:00 (120) → Tue 29.04 10:00. At noon on Monday
    the administrator puts health back on the usual schedule (empty = 09:00–18:00, lunch 13:00–13:45): 120 minutes
    went by on the summer hours, the 420 left run Monday 12:00–13:00 and 13:45–18:00 (315) and Tuesday 09:00–10:45
    (105) → Tue 10:45, and the sweep at 10:30 records no violation. R-8.4's 5 hours move from Mon 15:00 to Mon
    15:45; the R-8.2 hour (11:00, already past at the change) stays. The first reminder of R-8.3 (half of 540
    minutes) moves from Mon 14:30 to Mon 15:15."""
    p = personas
    _early(p.health)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 29, 10, 0)
    assert deadline(case, Deadline.Stage.OVERALL).next_reminder_at == msk(2025, 4, 28, 14, 30)
    assert deadline(case, Deadline.Stage.DRAFT).due_at == msk(2025, 4, 28, 15, 0)

    _at(monkeypatch, msk(2025, 4, 28, 12, 0))
    _save_schedule(admin_client, p.health, None)

    overall = deadline(case, Deadline.Stage.OVERALL)
    assert overall.due_at == msk(2025, 4, 29, 10, 45)
    assert overall.working_minutes == 540
    assert overall.next_reminder_at == msk(2025, 4, 28, 15, 15)
    assert deadline(case, Deadline.Stage.DRAFT).due_at == msk(2025, 4, 28, 15, 45)
    assert deadline(case, Deadline.Stage.REJECT_WINDOW).due_at == msk(2025, 4, 28, 11, 0)
    events = [e.reason for e in CaseEvent.objects.filter(case=case, action="calendar_changed")]
    assert len(events) == 2
    assert (
        "Срок «подготовка и размещение ответа (п. 8.3)» перенесён с 29.04.2025 10:00 на 29.04.2025 10:45: "
        "изменён график работы органа «Здравоохранение»; рабочее время до изменения считается по прежнему "
        "графику, оставшееся — по новому с момента изменения."
    ) in events
    assert "перенесено 2" in admin_client.get("/admin/org/body/").content.decode()

    sweep(msk(2025, 4, 29, 10, 30))
    assert not Violation.objects.filter(case=case, rid="R-8.3").exists()


def test_a_schedule_saved_outside_the_admin_moves_the_deadlines_too(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same correction made by a script (`Body.save()`) at noon: the deadlines move the same way. Another
    body's deadlines, and a save that leaves the schedule as it was, move nothing."""
    p = personas
    _early(p.health)
    _early(p.roads)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    other = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 10, 0))

    p.health.email = "health@example.org"
    p.health.save()
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 29, 10, 0)

    _at(monkeypatch, msk(2025, 4, 28, 12, 0))
    p.health.schedule = None
    p.health.save()
    assert p.health.deadlines_moved == 2
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 29, 10, 45)
    assert deadline(other, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 29, 10, 0)
    assert not CaseEvent.objects.filter(case=other, action="calendar_changed").exists()


def test_violated_and_met_deadlines_stay_and_the_common_answer_stays_within_the_whole_term(
    personas: Personas, admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R-8.9 (`parts_in`): dispatched Monday 28.04.2025 10:00 to health, then roads, both on the usual hours;
    health's part at 11:00 (its R-8.3 term met then) sends the message on to roads, whose part comes at 16:00: Dave
    composes the common answer, due with roads' whole answer Tue 11:45 (his 5 hours would run to Tue 12:00). At
    07:30 on Tuesday roads move to 08:00–17:00: R-8.3 from Monday 11:00 had used 375 minutes (Monday 11:00–18:00 on
    the usual hours), the 165 left run from Tue 08:00 → Tue 10:45; composing, from Monday 16:00, had used 120 and
    its 180 left would run to Tue 11:00, so it is cut to Tue 10:45 — never after the whole answer (R-8.4, R-8.9).
    Health's met deadlines stay as they were."""
    p = personas
    case = parts_in(p, Case.MultiMode.COMMON_BY_LAST)
    compose = deadline(case, Deadline.Stage.COMPOSE)
    assert compose.due_at == msk(2025, 4, 29, 11, 45)
    health_met = list(
        Deadline.objects.filter(case=case, body=p.health).values_list(
            "pk", "due_at", "met_at", "cancelled_at"
        )
    )

    _at(monkeypatch, msk(2025, 4, 29, 7, 30))
    _save_schedule(admin_client, p.roads, EARLY)

    roads_overall = Deadline.objects.get(case=case, body=p.roads, stage=Deadline.Stage.OVERALL)
    assert roads_overall.started_at == msk(2025, 4, 28, 11, 0)
    assert roads_overall.due_at == msk(2025, 4, 29, 10, 45)
    compose.refresh_from_db()
    assert compose.due_at == msk(2025, 4, 29, 10, 45)
    assert health_met == list(
        Deadline.objects.filter(case=case, body=p.health).values_list(
            "pk", "due_at", "met_at", "cancelled_at"
        )
    )


def test_a_violation_recorded_is_history(
    personas: Personas, admin_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Health on 08:00–17:00, dispatched Monday 28.04.2025 10:00: R-8.4 ran out at 15:00 and the sweep at 15:30
    recorded it. Health back on the usual hours at 18:00 the same evening: the violated deadline keeps 15:00, the
    open R-8.3 term moves: 420 minutes went by on the summer hours, the 120 left run Tue 09:00–11:00."""
    p = personas
    _early(p.health)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    sweep(msk(2025, 4, 28, 15, 30))
    assert deadline(case, Deadline.Stage.DRAFT).breached_at is not None

    _at(monkeypatch, msk(2025, 4, 28, 18, 0))
    _save_schedule(admin_client, p.health, None)

    assert deadline(case, Deadline.Stage.DRAFT).due_at == msk(2025, 4, 28, 15, 0)
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 4, 29, 11, 0)
