"""R-6: recording an absence whose substitute is away too. The absence is saved, and the page says at once that
the substitute is away for part of it, when, whether the two are named to substitute for each other, and who then
actually does the work (`org.duty.on_duty`); before, only the list of absences showed the loop, later, if one
looked."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client

from otklik.org.models import Absence, Person
from tests.conftest import Personas, msk
from tests.org.test_absence_head_s9 import NEW, vacation
from tests.org.test_stale_forms_s7 import login, opened
from tests.web.test_search import admin_client

pytestmark = pytest.mark.django_db


def notes(response: object) -> list[str]:
    page = response.content.decode()  # type: ignore[attr-defined]
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).split())
        for m in re.findall(r'<li class="warning">(.*?)</li>', page, re.S)
    ]


def away(person: Person, substitute: Person | None, first_day: int, days: int) -> Absence:
    starts = msk(2030, 12, first_day, 9, 0)
    return Absence.objects.create(
        person=person,
        reason=Absence.Reason.VACATION,
        starts_at=starts,
        ends_at=starts + timedelta(days=days, hours=9),
        substitute=substitute,
    )


def record(client: Client, person: Person, substitute: Person) -> object:
    """`person`'s vacation 09.12.2030 09:00 – 13.12.2030 18:00 with `substitute`, sent from the form."""
    form = vacation(opened(client, NEW), person)
    response = client.post(NEW, {**form, "substitute": str(substitute.pk)}, follow=True)
    assert response.status_code == 200
    return response


def test_two_people_named_to_substitute_for_each_other_are_told_who_works(personas: Personas) -> None:
    """Bob is on vacation 11–16.12 with Alice as his substitute; Alice records her vacation 09–13.12 with Bob. It is
    saved; the page warns that Bob is away 11.12 09:00 – 13.12 18:00, that they substitute for each other, and
    that Charlie (the body's other executor, `on_duty`'s fallback) does the work then."""
    p = personas
    away(p.bob, p.alice, first_day=11, days=5)
    response = record(login(p.alice), p.alice, p.bob)
    assert Absence.objects.filter(person=p.alice, substitute=p.bob).exists()
    assert notes(response) == [
        f"Замещающий сотрудник {p.bob} тоже отсутствует с 11.12.2030 09:00 по 13.12.2030 18:00 (отпуск); на то "
        f"время замещающим указан(а) {p.alice}: сотрудники замещают друг друга. Работу в это время выполняет "
        f"{p.charlie}."
    ], notes(response)


def test_a_substitute_away_with_a_substitute_of_their_own_is_named_with_who_works(personas: Personas) -> None:
    """Bob is away 12–14.12 with Charlie as his substitute: Alice's vacation with Bob is saved with a warning that
    Charlie does the work then (the chain Alice → Bob → Charlie)."""
    p = personas
    away(p.bob, p.charlie, first_day=12, days=2)
    response = record(login(p.alice), p.alice, p.bob)
    assert notes(response) == [
        f"Замещающий сотрудник {p.bob} тоже отсутствует с 12.12.2030 09:00 по 13.12.2030 18:00 (отпуск). "
        f"Работу в это время выполняет {p.charlie}."
    ], notes(response)


def test_nobody_left_is_said_and_a_substitute_at_work_gives_no_warning(personas: Personas) -> None:
    """Every other person of health away at once: the warning says the curator must decide. A substitute at work
    gives no warning at all."""
    p = personas
    away(p.bob, p.alice, first_day=9, days=4)
    away(p.charlie, None, first_day=1, days=20)
    away(p.health_head, None, first_day=1, days=20)
    response = record(login(p.alice), p.alice, p.bob)
    assert len(notes(response)) == 1 and notes(response)[0].endswith(
        "В это время в органе никого нет на месте — обращения потребуют решения куратора."
    ), notes(response)

    Absence.objects.all().delete()
    response = record(login(p.alice), p.alice, p.bob)
    assert notes(response) == [] and "Отсутствие сохранено." in response.content.decode()  # type: ignore[attr-defined]


def test_the_admin_warns_the_same_way(personas: Personas) -> None:
    """The administrator records Alice's vacation with Bob, who is away with Alice as his substitute: saved, and the
    admin's page shows the same warning."""
    p = personas
    away(p.bob, p.alice, first_day=11, days=5)
    client = admin_client(p.admin)
    url = "/admin/org/absence/add/"
    form = vacation(opened(client, url), p.alice)
    response = client.post(url, {**form, "substitute": str(p.bob.pk)}, follow=True)
    assert Absence.objects.filter(person=p.alice, substitute=p.bob).exists()
    assert len(notes(response)) == 1 and "сотрудники замещают друг друга" in notes(response)[0], notes(
        response
    )
