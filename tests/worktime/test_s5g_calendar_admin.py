"""The administrator loads next year's production calendar in the admin («Годы производственного календаря»):
a year typed or pasted without the public holidays is refused in Russian instead of making the New Year
holidays working days for every deadline (working time, R-8.3)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from tests.conftest import Personas, msk

from otklik.worktime.calendar import statutory_year_data
from otklik.worktime.models import CalendarYear
from otklik.worktime.service import worktime_for

pytestmark = pytest.mark.django_db


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


def _add_year(client: Client, year: int, data: str) -> Any:
    return client.post(
        "/admin/worktime/calendaryear/add/", {"year": str(year), "data": data, "source": "постановление"}
    )


def test_a_year_without_its_holidays_is_refused_and_deadlines_keep_the_new_year_holidays(
    admin_client: Client,
) -> None:
    """`{"off": []}` (or a year with the transfers only) was accepted and replaced the provisional statutory
    2028: Thursday 30.12.2027 10:00 + 9 working hours then ran through Monday 03.01.2028, a New Year holiday."""
    response = _add_year(admin_client, 2028, '{"off": []}')
    assert response.status_code == 200
    [message] = errors(response)
    assert message.startswith(
        "Данные года не приняты: рабочими получились дни 03.01.2028 (Новогодние каникулы)"
    )
    assert "ст. 112 Трудового кодекса" in message
    assert not CalendarYear.objects.exists()
    assert worktime_for().add(msk(2027, 12, 30, 10, 0), 540) == msk(2028, 1, 10, 10, 45)

    only_transfers = '{"off": {"01-10": "перенесённый выходной"}, "shortened": ["02-22"]}'
    [message] = errors(_add_year(admin_client, 2028, only_transfers))
    assert "23.02.2028 (День защитника Отечества)" in message
    assert not CalendarYear.objects.exists()


def test_a_whole_year_is_accepted_and_used(admin_client: Client) -> None:
    """The same year with all its holidays goes in and is the calendar of 2028 from then on."""
    data = statutory_year_data(2028)
    data["off"]["01-10"] = "перенесённый выходной (постановление)"
    response = _add_year(admin_client, 2028, __import__("json").dumps(data, ensure_ascii=False))
    assert response.status_code == 302, errors(response)
    assert worktime_for().calendar.provisional_years == {2029}
    assert not worktime_for().calendar.day(date(2028, 1, 10)).is_working


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('"2028"', 'нужен объект JSON {"off"'),
        ('{"off": 5}', 'поле "off" должно быть объектом'),
        ('{"off": {"01-01": "НГ"}, "shortened": "12-29"}', 'поле "shortened" должно быть списком'),
        (
            '{"off": {"01-01": "НГ"}, "working_weekend": ["01-15"]}',
            'поле "working_weekend" должно быть объектом',
        ),
    ],
)
def test_malformed_year_data_is_refused_in_russian(admin_client: Client, data: str, expected: str) -> None:
    """Such data was refused with Python's own English words («dictionary update sequence element #0 …»)."""
    [message] = errors(_add_year(admin_client, 2028, data))
    assert message.startswith("Данные года не приняты:")
    assert expected in message
    assert not CalendarYear.objects.exists()
