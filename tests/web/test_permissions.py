"""Who may see and change what in the directory (R-3, R-6): each body edits only its own people."""

from __future__ import annotations

from django.test import Client

from otklik.org.models import OfficialAccount, Person
from tests.conftest import PASSWORD, Personas


def person_form(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "position": person.position,
        "email": person.email,
        "phone": person.phone,
        "body": person.body_id or "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login(client: Client, personas: Personas) -> None:
    response = client.get("/directory/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_executor_cannot_edit_other_bodies_people(personas: Personas, client: Client) -> None:
    client.force_login(personas.dave)  # executor of roads
    url = f"/directory/people/{personas.alice.pk}/edit/"  # alice is in health
    assert client.get(url).status_code == 404
    assert client.post(url, person_form(personas.alice, last_name="Взлом")).status_code == 404
    personas.alice.refresh_from_db()
    assert personas.alice.last_name == "Алексеева"


def test_executor_cannot_edit_colleagues_of_own_body(personas: Personas, client: Client) -> None:
    client.force_login(personas.bob)
    assert client.get(f"/directory/people/{personas.alice.pk}/edit/").status_code == 404
    assert client.get(f"/directory/people/{personas.bob.pk}/edit/").status_code == 403


def test_responsible_official_edits_own_body_only(personas: Personas, client: Client) -> None:
    client.force_login(personas.health_head)
    ok = client.post(
        f"/directory/people/{personas.alice.pk}/edit/", person_form(personas.alice, position="эксперт")
    )
    assert ok.status_code == 302
    assert client.get(f"/directory/people/{personas.dave.pk}/edit/").status_code == 404
    # cannot move a person into another body
    moved = client.post(
        f"/directory/people/{personas.alice.pk}/edit/", person_form(personas.alice, body=personas.roads.pk)
    )
    assert moved.status_code == 200
    personas.alice.refresh_from_db()
    assert personas.alice.body == personas.health
    assert personas.alice.position == "эксперт"


def test_administrator_edits_anyone(personas: Personas, client: Client) -> None:
    client.force_login(personas.admin)
    response = client.post(
        f"/directory/people/{personas.dave.pk}/edit/", person_form(personas.dave, phone="123")
    )
    assert response.status_code == 302


def test_only_curators_and_administrators_edit_accounts(personas: Personas, client: Client) -> None:
    data = {
        "body": personas.health.pk,
        "network": "vk",
        "title": "Здоровье",
        "url": "https://vk.com/health_demo",
        "external_id": "",
        "is_public": "on",
        "is_active": "on",
    }
    client.force_login(personas.alice)
    assert client.post("/directory/accounts/new/", data).status_code == 403
    client.force_login(personas.observer)
    assert client.post("/directory/accounts/new/", data).status_code == 403
    client.force_login(personas.curator)
    assert client.post("/directory/accounts/new/", data).status_code == 302
    assert OfficialAccount.objects.filter(title="Здоровье").exists()


def test_public_account_list_needs_no_login(personas: Personas, client: Client) -> None:
    """R-5: the links to the bodies' official accounts are public."""
    OfficialAccount.objects.create(
        body=personas.health, network="vk", title="Здоровье Ленобласти", url="https://vk.com/health_demo"
    )
    OfficialAccount.objects.create(
        body=personas.health,
        network="telegram",
        title="Скрытый",
        url="https://t.me/hidden_demo",
        is_public=False,
    )
    page = client.get("/accounts/").content.decode()
    assert "Здоровье Ленобласти" in page
    assert "https://vk.com/health_demo" in page
    assert "Скрытый" not in page


def test_observer_reads_directory(personas: Personas, client: Client) -> None:
    client.force_login(personas.observer)
    for url in (
        "/directory/bodies/",
        "/directory/people/",
        "/directory/absences/",
        "/directory/competences/",
        "/directory/accounts/",
        f"/directory/bodies/{personas.health.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_login_is_throttled_after_repeated_failures(personas: Personas, client: Client) -> None:
    for _ in range(4):
        response = client.post("/login/", {"username": "alice", "password": "wrong"})
        assert "Неверное имя пользователя или пароль" in response.content.decode()
    fifth = client.post("/login/", {"username": "alice", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Вход временно заблокирован" in locked.content.decode()


def test_login_with_right_password_works(personas: Personas, client: Client) -> None:
    response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert "Рабочий стол" in client.get("/").content.decode()
