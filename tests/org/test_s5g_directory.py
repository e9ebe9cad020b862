"""The administrator's first week with the directory: a body's working schedule that no deadline could be counted
on is refused in words (R-3, working time), instead of failing every later dispatch to the body."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from otklik.org.models import Body
from otklik.worktime.service import worktime_for
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

WEEKEND_ONLY = {"week": {"sat": [["09:00", "18:00"]], "sun": [["10:00", "16:00"]]}}


def errors(response: Any) -> list[str]:
    html = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return [re.sub(r"<[^>]+>", "", e).replace("&quot;", '"').replace("&#x27;", "'").strip() for e in found]


@pytest.fixture
def admin_client(personas: Personas, client: Client) -> Client:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def _body_form(**fields: Any) -> dict[str, Any]:
    data = {"name": "", "short_name": "", "level": "oblast", "municipality": "", "schedule": "", "email": ""}
    data.update({"phone": "", "is_active": "on", **fields})
    return data


def test_a_schedule_with_weekend_hours_only_is_refused(admin_client: Client) -> None:
    """Saturday and Sunday are days off in the production calendar: with hours on those days only the body had
    no working time at all, the form accepted it, and every deadline of the body then failed («в календаре нет
    ни одного рабочего интервала»), so no message could be sent to it."""
    response = admin_client.post(
        "/admin/org/body/add/",
        _body_form(name="Комитет по туризму", schedule=json.dumps(WEEKEND_ONLY)),
    )
    assert response.status_code == 200
    assert errors(response) == [
        "График не принят: нет рабочих часов с понедельника по пятницу. Суббота и воскресенье по "
        "производственному календарю выходные, и сроки органа по такому графику не посчитать."
    ]
    assert not Body.objects.filter(name="Комитет по туризму").exists()


def test_an_existing_body_keeps_its_schedule_when_a_weekend_only_one_is_entered(
    admin_client: Client, personas: Personas
) -> None:
    health = personas.health
    response = admin_client.post(
        f"/admin/org/body/{health.pk}/change/",
        _body_form(name=health.name, short_name=health.short_name, schedule=json.dumps(WEEKEND_ONLY)),
    )
    assert response.status_code == 200
    assert errors(response)[0].startswith("График не принят: нет рабочих часов с понедельника по пятницу")
    health.refresh_from_db()
    assert health.schedule is None
    # Thursday 13.03.2025 17:00 + 2 working hours, the default schedule: 60 min that day, Friday 10:00.
    assert worktime_for(health).add(msk(2025, 3, 13, 17, 0), 120) == msk(2025, 3, 14, 10, 0)


def test_a_schedule_with_saturday_hours_besides_the_weekdays_is_accepted(admin_client: Client) -> None:
    """A body that also works on Saturdays (an MFC-like office) is fine: its weekdays count as usual."""
    schedule = {
        "week": {"mon": [["08:00", "20:00"]], "fri": [["08:00", "20:00"]], "sat": [["10:00", "14:00"]]}
    }
    response = admin_client.post(
        "/admin/org/body/add/", _body_form(name="Центр приёма граждан", schedule=json.dumps(schedule))
    )
    assert response.status_code == 302, errors(response)
    body = Body.objects.get(name="Центр приёма граждан")
    # Friday 14.03.2025 19:00 + 2 h: 60 min that Friday, Saturday is a day off, Monday 17.03 08:00 + 60 → 09:00.
    assert worktime_for(body).add(msk(2025, 3, 14, 19, 0), 120) == msk(2025, 3, 17, 9, 0)
