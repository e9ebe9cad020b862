"""The administrator loads a year of the production calendar as it is published: the calendar.xml file of
xmlcalendar.ru, uploaded in the admin («Годы производственного календаря»), instead of JSON typed by hand
(working time for every deadline, R-8.3 … R-8.9; docs/worktime.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.conftest import Personas
from tests.worktime.test_s5g_calendar_admin import errors

from otklik.worktime.models import CalendarYear
from otklik.worktime.xmlcalendar import parse_xmlcalendar

pytestmark = pytest.mark.django_db

XML = (Path(__file__).parent / "data" / "xmlcalendar_ru_2027.xml").read_bytes()


@pytest.fixture
def admin_client(personas: Personas, client: Client) -> Client:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def upload(client: Client, content: bytes, year: str = "") -> Any:
    return client.post(
        "/admin/worktime/calendaryear/add/",
        {
            "year": year,
            "data": "",
            "source": "постановление Правительства",
            "xml": SimpleUploadedFile("calendar.xml", content),
        },
    )


def test_the_years_file_fills_the_year(admin_client: Client) -> None:
    response = upload(admin_client, XML)
    assert response.status_code == 302, errors(response)
    stored = CalendarYear.objects.get(year=2027)
    assert stored.data == parse_xmlcalendar(XML).to_year_data()
    assert stored.data["off"]["01-07"] == "Рождество Христово"
    assert stored.source == "постановление Правительства"


@pytest.mark.parametrize(
    ("content", "year", "said"),
    [
        (XML, "2028", "В файле календарь на 2027 год, а указан 2028."),
        (b"<html><body>404</body></html>", "", "Файл календаря не прочитан"),
        (b"\\x00\\x01 not xml", "", "Файл календаря не прочитан"),
    ],
)
def test_a_wrong_file_is_refused_in_russian(
    admin_client: Client, content: bytes, year: str, said: str
) -> None:
    response = upload(admin_client, content, year)
    assert response.status_code == 200
    assert any(said in e for e in errors(response)), errors(response)
    assert not CalendarYear.objects.exists()


def test_neither_data_nor_a_file_says_what_is_missing(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/worktime/calendaryear/add/", {"year": "2028", "data": "", "source": ""}
    )
    assert response.status_code == 200
    assert "Вставьте данные года или загрузите файл календаря." in errors(response)
