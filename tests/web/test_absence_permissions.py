"""R-6 and the README's roles: an executor records their own absences, a responsible official their body's
staff's, an administrator anyone's; an observer (reads everything, changes nothing) and a curator get 403."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.org.models import Absence, Person
from tests.conftest import Personas, msk


def absence_form(person: Person) -> dict[str, object]:
    return {
        "person": person.pk,
        "reason": "vacation",
        "starts_at": "2025-07-01T00:00",
        "ends_at": "2025-07-15T00:00",
        "substitute": "",
        "comment": "",
    }


@pytest.mark.parametrize("who", ["observer", "curator"])
def test_r6_people_without_an_absence_role_get_403(personas: Personas, client: Client, who: str) -> None:
    me = getattr(personas, who)
    client.force_login(me)
    assert client.get("/directory/absences/new/").status_code == 403
    response = client.post("/directory/absences/new/", absence_form(me))
    assert response.status_code == 403
    assert "Вносить отсутствия могут исполнители" in response.content.decode()
    assert Absence.objects.count() == 0


def test_r6_observer_cannot_edit_an_absence(personas: Personas, client: Client) -> None:
    absence = Absence.objects.create(
        person=personas.alice,
        starts_at=msk(2025, 7, 1, 0, 0),
        ends_at=msk(2025, 7, 15, 0, 0),
        reason=Absence.Reason.VACATION,
    )
    client.force_login(personas.observer)
    data = absence_form(personas.alice) | {"reason": "sick_leave"}
    assert client.post(f"/directory/absences/{absence.pk}/edit/", data).status_code == 403
    absence.refresh_from_db()
    assert absence.reason == Absence.Reason.VACATION


def test_r6_observer_sees_absences_without_edit_links(personas: Personas, client: Client) -> None:
    Absence.objects.create(
        person=personas.alice,
        starts_at=msk(2025, 7, 1, 0, 0),
        ends_at=msk(2099, 7, 15, 0, 0),
        reason=Absence.Reason.VACATION,
    )
    client.force_login(personas.observer)
    html = client.get("/directory/absences/").content.decode()
    assert "Алексеева Тест" in html
    assert "Внести отсутствие" not in html
    assert "изменить" not in html
    assert "внести отсутствие" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("who", "whose"),
    [("alice", "alice"), ("health_head", "alice"), ("health_head", "health_head"), ("admin", "dave")],
)
def test_r6_those_who_record_absences_still_can(
    personas: Personas, client: Client, who: str, whose: str
) -> None:
    client.force_login(getattr(personas, who))
    response = client.post("/directory/absences/new/", absence_form(getattr(personas, whose)))
    assert response.status_code == 302
    assert Absence.objects.get().person == getattr(personas, whose)
