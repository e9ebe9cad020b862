"""The administrator's directory work in the Django admin and on the competence page: bodies, roles, the competence
matrix and switching a body off — every refusal is a clear Russian sentence, and data that would route messages
wrongly is not accepted (R-3, R-4.1, R-6, R-8.1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from otklik.analysis.routing import route
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.org.models import Body, Competence, Municipality, Role, Topic, TopicGroup
from tests.conftest import Personas, msk

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


@pytest.fixture
def gatchina() -> Municipality:
    return Municipality.objects.create(name="Гатчинский муниципальный район")


@pytest.fixture
def vyborg() -> Municipality:
    return Municipality.objects.create(name="Выборгский муниципальный район")


@pytest.fixture
def gatchina_admin(gatchina: Municipality) -> Body:
    return Body.objects.create(
        name="Администрация Гатчинского муниципального района", level="municipal", municipality=gatchina
    )


@pytest.fixture
def burial() -> Topic:
    group = TopicGroup.objects.create(name="Погребение и похоронное дело")
    return Topic.objects.create(group=group, name="Содержание кладбищ")


def _body_form(**fields: Any) -> dict[str, Any]:
    data = {"name": "", "short_name": "", "level": "oblast", "municipality": "", "schedule": "", "email": ""}
    data.update({"phone": "", "is_active": "on", **fields})
    return {k: v for k, v in data.items() if v is not None}


def test_r4_1_a_municipal_administration_without_its_municipality_is_refused_in_words(
    admin_client: Client,
) -> None:
    response = admin_client.post(
        "/admin/org/body/add/", _body_form(name="Администрация Лужского района", level="municipal")
    )
    assert response.status_code == 200
    assert errors(response) == [
        "Для администрации муниципального образования укажите её муниципальное образование."
    ]
    assert not Body.objects.filter(name="Администрация Лужского района").exists()


def test_r4_1_an_oblast_body_bound_to_one_municipality_is_refused(
    admin_client: Client, gatchina: Municipality
) -> None:
    response = admin_client.post(
        "/admin/org/body/add/", _body_form(name="Комитет по культуре", municipality=gatchina.pk)
    )
    assert response.status_code == 200
    (message,) = errors(response)
    assert message.startswith("Орган исполнительной власти области не относится к одному муниципальному")
    assert not Body.objects.filter(name="Комитет по культуре").exists()


def test_r6_an_executor_role_without_a_body_is_refused_in_words(
    personas: Personas, admin_client: Client
) -> None:
    bob = personas.bob
    bob.roles.all().delete()
    data = {
        "username": bob.username,
        "first_name": bob.first_name,
        "last_name": bob.last_name,
        "email": "",
        "is_active": "on",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "10:00:00",
        "middle_name": "",
        "body": bob.body_id,
        "position": "",
        "phone": "",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-person": bob.pk,
        "roles-0-kind": "executor",
        "roles-0-body": "",
    }
    response = admin_client.post(f"/admin/org/person/{bob.pk}/change/", data)
    assert response.status_code == 200
    assert "Для роли «исполнитель» укажите орган." in errors(response)
    assert not Role.objects.filter(person=bob).exists()


def test_r8_1_a_municipal_administration_is_not_made_competent_for_the_whole_oblast(
    personas: Personas, client: Client, gatchina_admin: Body, burial: Topic, vyborg: Municipality
) -> None:
    client.force_login(personas.curator)
    response = client.post("/directory/competences/new/", {"topic": burial.pk, "body": gatchina_admin.pk})
    assert response.status_code == 200
    assert errors(response) == [
        "«Администрация Гатчинского муниципального района» отвечает только за своё муниципальное "
        "образование: укажите «Гатчинский муниципальный район»."
    ]
    assert not Competence.objects.exists()
    # A message about a cemetery in Vyborg is not offered to Gatchina's administration.
    assert route([("Содержание кладбищ", 0.9)], vyborg.pk) == []


def test_r8_1_a_municipal_administration_is_not_made_competent_in_another_municipality(
    personas: Personas, client: Client, gatchina_admin: Body, burial: Topic, vyborg: Municipality
) -> None:
    client.force_login(personas.curator)
    response = client.post(
        "/directory/competences/new/",
        {"topic": burial.pk, "body": gatchina_admin.pk, "municipality": vyborg.pk},
    )
    assert response.status_code == 200
    assert "укажите «Гатчинский муниципальный район»" in errors(response)[0]
    assert not Competence.objects.exists()


def test_r8_1_the_municipal_administration_in_its_own_municipality_is_accepted(
    personas: Personas, client: Client, gatchina_admin: Body, gatchina: Municipality, burial: Topic
) -> None:
    client.force_login(personas.curator)
    response = client.post(
        "/directory/competences/new/",
        {"topic": burial.pk, "body": gatchina_admin.pk, "municipality": gatchina.pk},
    )
    assert response.status_code == 302
    assert [b.body_id for b in route([("Содержание кладбищ", 0.9)], gatchina.pk)] == [gatchina_admin.pk]


def test_r8_1_the_same_competence_twice_is_refused_in_words(
    personas: Personas, client: Client, burial: Topic
) -> None:
    client.force_login(personas.curator)
    assert (
        client.post(
            "/directory/competences/new/", {"topic": burial.pk, "body": personas.health.pk}
        ).status_code
        == 302
    )
    response = client.post("/directory/competences/new/", {"topic": burial.pk, "body": personas.health.pk})
    assert response.status_code == 200
    assert errors(response) == [
        "«Здравоохранение» уже указан компетентным по теме «Содержание кладбищ» по всей области."
    ]
    assert Competence.objects.count() == 1


def test_r3_a_body_with_cases_in_work_cannot_be_switched_off(
    personas: Personas, admin_client: Client
) -> None:
    p = personas
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_501",
        url="https://vk.com/wall-1_501",
        author_name="Анна",
        text="В поликлинике не работает запись к врачу",
        published_at=msk(2025, 10, 1, 8, 0),
    )
    case = actions.dispatch_case(p.curator, [message], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    form = _body_form(name=p.health.name, short_name=p.health.short_name, is_active=None)
    response = admin_client.post(f"/admin/org/body/{p.health.pk}/change/", form)
    assert response.status_code == 200
    (message_text,) = errors(response)
    assert message_text.startswith(f"Орган нельзя отключить: у него обращения в работе (№ {case.pk}).")
    p.health.refresh_from_db()
    assert p.health.is_active

    # A body without work is switched off as before.
    response = admin_client.post(
        f"/admin/org/body/{p.roads.pk}/change/",
        _body_form(name=p.roads.name, short_name=p.roads.short_name, is_active=None),
    )
    assert response.status_code == 302
    p.roads.refresh_from_db()
    assert not p.roads.is_active
