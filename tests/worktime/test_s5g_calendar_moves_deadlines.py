"""A calendar correction entered while cases are open: the Governor declares Thursday 13.03.2025 a regional day
off on Wednesday afternoon, after a message was dispatched. The open deadlines follow the calendar (they were
left on Thursday, and the sweep would have recorded violations on a day off); the case's history and the
administrator say what moved (working time, R-8.3, R-8.4, R-12)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk

from otklik.cases.models import CaseEvent, Deadline
from otklik.cases.sla import sweep
from otklik.worktime.calendar import statutory_year_data
from otklik.worktime.models import CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(personas: Personas, client: Client) -> Client:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def test_a_regional_day_off_moves_the_open_deadlines_and_the_history_says_so(
    admin_client: Client, personas: Personas
) -> None:
    """Dispatched Wed 12.03.2025 15:00. R-8.3 9 h: 180 min on Wednesday, 240 + 120 on Thursday → Thu 15:45;
    with Thursday off → Fri 14.03 09:00–13:00 (240) and 13:45 + 120 → Fri 15:45. R-8.4 5 h: Thu 11:00 → Fri
    11:00. The R-8.2 hour (Wed 16:00) is untouched."""
    case = dispatch(personas.curator, personas.health, at=msk(2025, 3, 12, 15, 0))
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 3, 13, 15, 45)
    assert deadline(case, Deadline.Stage.DRAFT).due_at == msk(2025, 3, 13, 11, 0)

    response = admin_client.post(
        "/admin/worktime/calendaroverride/add/",
        {"date": "2025-03-13", "kind": "off", "hours_like": "", "note": "распоряжение Губернатора"},
        follow=True,
    )
    assert response.status_code == 200
    assert "перенесено 2" in response.content.decode()

    overall = deadline(case, Deadline.Stage.OVERALL)
    assert overall.due_at == msk(2025, 3, 14, 15, 45)
    assert overall.working_minutes == 540
    assert deadline(case, Deadline.Stage.DRAFT).due_at == msk(2025, 3, 14, 11, 0)
    assert deadline(case, Deadline.Stage.REJECT_WINDOW).due_at == msk(2025, 3, 12, 16, 0)
    events = [e.reason for e in CaseEvent.objects.filter(case=case, action="calendar_changed")]
    assert (
        "Срок «подготовка и размещение ответа (п. 8.3)» перенесён с 13.03.2025 15:45 на 14.03.2025 15:45: "
        "изменён производственный календарь (13.03.2025: выходной — распоряжение Губернатора)"
    ) in " ".join(events)
    assert len(events) == 2

    # Thursday evening: nothing is overdue, the day was off.
    sweep(msk(2025, 3, 13, 18, 0))
    assert not Deadline.objects.filter(case=case, breached_at__isnull=False).exists()

    # The correction withdrawn: the deadlines are back on Thursday.
    override = CalendarOverride.objects.get()
    admin_client.post(f"/admin/worktime/calendaroverride/{override.pk}/delete/", {"post": "yes"})
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 3, 13, 15, 45)


def test_the_real_next_year_moves_deadlines_counted_on_the_provisional_one(
    admin_client: Client, personas: Personas
) -> None:
    """Dispatched Thu 30.12.2027 10:00 without the 2028 calendar: 9 h run to Mon 10.01.2028 10:45 on the
    provisional Labour-Code year. The Government's 2028 calendar then makes 10.01 a day off: → Tue 11.01 10:45."""
    case = dispatch(personas.curator, personas.health, at=msk(2027, 12, 30, 10, 0))
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2028, 1, 10, 10, 45)
    data = statutory_year_data(2028)
    data["off"]["01-10"] = "перенесённый выходной (с 01.01.2028)"
    response = admin_client.post(
        "/admin/worktime/calendaryear/add/",
        {"year": "2028", "data": json.dumps(data, ensure_ascii=False), "source": "постановление"},
    )
    assert response.status_code == 302
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2028, 1, 11, 10, 45)


def test_violated_and_met_deadlines_stay_as_they_were(admin_client: Client, personas: Personas) -> None:
    """A violation already recorded is history: a later correction of that day does not rewrite it."""
    case = dispatch(personas.curator, personas.health, at=msk(2025, 3, 12, 15, 0))
    sweep(msk(2025, 3, 13, 12, 0))  # R-8.4 (Thu 11:00) missed
    draft = deadline(case, Deadline.Stage.DRAFT)
    assert draft.breached_at is not None
    admin_client.post(
        "/admin/worktime/calendaroverride/add/",
        {"date": "2025-03-13", "kind": "off", "hours_like": "", "note": "задним числом"},
    )
    draft.refresh_from_db()
    assert draft.due_at == msk(2025, 3, 13, 11, 0)
    assert deadline(case, Deadline.Stage.OVERALL).due_at == msk(2025, 3, 14, 15, 45)
    assert timezone.is_aware(draft.due_at)
