"""A body's working hours in the admin (working time: "Working hours and days follow the body's schedule … editable
per body"; R-3).

What an administrator sees now on /admin/org/body/N/change/: «График работы» is an empty box for a body on the
standard schedule (it read «null»); a body's own hours are shown one day a line; under the box a help text says in
Russian how the hours are written, naming each weekday's key, with an example that is accepted as it is when
copied into the box; and a mistake is said in Russian — where the JSON breaks (line, position, what is missing,
straight quotes wanted), or which day and which time is wrong — instead of «Введите корректный JSON.»
(`org.forms.ScheduleField`, `worktime.schedule.WeeklySchedule.from_dict`). Found by a review (session 18)."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.forms import SCHEDULE_EXAMPLE
from otklik.org.models import Body
from otklik.worktime.schedule import WeeklySchedule
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def admin_client(personas: Personas) -> Client:
    person = personas.admin
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def _box(page: str) -> str:
    box = re.search(r'<textarea name="schedule"[^>]*>(.*?)</textarea>', page, re.S)
    assert box is not None
    return html.unescape(box.group(1)).removeprefix("\n")


def _errors(page: str) -> list[str]:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", e)).strip() for e in found]


def _post(client: Client, body: Body, schedule: str) -> Any:
    return client.post(
        reverse("admin:org_body_change", args=[body.pk]),
        {
            "name": body.name,
            "short_name": body.short_name,
            "level": "oblast",
            "municipality": "",
            "schedule": schedule,
            "email": "",
            "phone": "",
            "is_active": "on",
        },
    )


def test_a_body_with_the_standard_schedule_shows_an_empty_schedule_field_not_null(personas: Personas) -> None:
    """/admin/org/body/N/change/: «График работы» (help: «Пусто — типовой график …») showed «null» in its box for
    every body on the standard schedule; an administrator who leaves it so is fine, one who types a schedule after
    the word, or reads it as set, is not."""
    assert personas.health.schedule is None
    page = (
        admin_client(personas)
        .get(reverse("admin:org_body_change", args=[personas.health.pk]))
        .content.decode()
    )
    box = re.search(r'<textarea name="schedule"[^>]*>(.*?)</textarea>', page, re.S)
    assert box is not None
    assert box.group(1).strip() == "", f"the schedule box reads {box.group(1).strip()!r}"


def test_the_help_texts_example_copied_into_the_box_is_saved_and_shown_one_day_a_line(
    personas: Personas,
) -> None:
    client = admin_client(personas)
    url = reverse("admin:org_body_change", args=[personas.health.pk])
    page = client.get(url).content.decode()
    assert '"mon" — понедельник' in html.unescape(page) and "ЧЧ:ММ" in page
    shown = re.search(r"<pre>(.*?)</pre>", page, re.S)
    assert shown is not None and html.unescape(shown.group(1)) == SCHEDULE_EXAMPLE
    assert _post(client, personas.health, html.unescape(shown.group(1))).status_code == 302
    personas.health.refresh_from_db()
    assert WeeklySchedule.from_dict(personas.health.schedule).describe_ru() == (
        "пн–чт 08:00–12:00, 12:45–17:00; пт 08:00–12:00, 12:45–15:45"
    )
    box = _box(client.get(url).content.decode())
    assert box.strip().splitlines()[1] == '  "mon": [["08:00", "12:00"], ["12:45", "17:00"]],'
    assert json.loads(box) == personas.health.schedule
    # saved again untouched, it stays the same and moves nothing
    assert _post(client, personas.health, box).status_code == 302
    # emptied, the body is back on the standard schedule
    assert _post(client, personas.health, "").status_code == 302
    personas.health.refresh_from_db()
    assert personas.health.schedule is None


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (  # a comma forgotten between two days
            '{"week": {"mon": [["08:00", "17:00"]]\n "tue": [["08:00", "17:00"]]}}',
            "График не прочитан: строка 2, знак 2 — не хватает запятой",
        ),
        (  # quotes as a word processor puts them
            "{«week»: {«mon»: [[«08:00», «17:00»]]}}",
            "Кавычки нужны прямые двойные",
        ),
        (
            '{"week": {"пн": [["08:00", "17:00"]]}}',
            'неизвестные дни недели: "пн" (допустимо: "mon" — понедельник',
        ),
        ('{"week": {"mon": [["8:00", "17:00"]]}}', 'понедельник ("mon"): время "8:00" не в формате ЧЧ:ММ'),
        ('{"week": {"fri": [["08:00", "25:00"]]}}', 'пятница ("fri"): недопустимое время "25:00"'),
        ('{"week": {"wed": ["08:00-17:00"]}}', 'среда ("wed"): интервал "08:00-17:00" должен быть парой'),
    ],
)
def test_a_mistake_in_the_schedule_is_said_in_russian_with_the_day_and_the_time(
    personas: Personas, typed: str, said: str
) -> None:
    client = admin_client(personas)
    response = _post(client, personas.health, typed)
    assert response.status_code == 200
    page = response.content.decode()
    errors = _errors(page)
    assert any(said in e for e in errors), errors
    assert "Введите корректный JSON" not in page
    assert _box(page) == typed  # what was typed stays in the box to correct
    personas.health.refresh_from_db()
    assert personas.health.schedule is None
