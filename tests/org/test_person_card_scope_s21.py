"""R-6: a body's responsible official keeps the cards of the body's own staff — its executors and responsible
officials — and her own; the card of an administrator, a curator, an observer, someone working for another body too
or an account of the admin site is the administrators' even when it names her body: the list offers her no
«изменить» on it, the card's page refuses her (403) and a post leaves the account on and its e-mail as it was
(`org.scoping.person_change_refusal`, a Russian sentence naming the roles beyond the body). Before, the head of the
health committee could switch off the administrator's account or send his mail elsewhere.
Found by a review (session 21)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org import scoping
from otklik.org.models import Role
from tests.conftest import Personas, make_person

pytestmark = pytest.mark.django_db


def test_a_bodys_responsible_official_cannot_switch_off_an_administrator_of_the_body(
    personas: Personas,
) -> None:
    admin = make_person("health_admin", personas.health, Role.Kind.ADMINISTRATOR, last_name="Админов")
    admin.email = "admin@lenobl.example"
    admin.save(update_fields=["email"])
    head = Client()
    head.force_login(personas.health_head)
    head.post(
        reverse("person_edit", args=[admin.pk]),
        {
            "last_name": "Админов",
            "first_name": "Тест",
            "body": personas.health.pk,
            "email": "someone.else@example.org",
        },  # «действует» unticked
    )
    admin.refresh_from_db()
    assert admin.is_active
    assert admin.email == "admin@lenobl.example"


def test_a_bodys_responsible_official_changes_her_bodys_executors_and_her_own_card_only(
    personas: Personas,
) -> None:
    p = personas
    curator = make_person("health_curator", p.health, Role.Kind.CURATOR, last_name="Кураторова")
    observer = make_person("health_observer", p.health, Role.Kind.OBSERVER, last_name="Наблюдаев")
    both = make_person("health_roads", p.health, Role.Kind.EXECUTOR, last_name="Двоев")
    Role.objects.create(person=both, kind=Role.Kind.EXECUTOR, body=p.roads)
    staff = make_person("health_staff", p.health, last_name="Штатов")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    plain = make_person(
        "health_new", p.health, last_name="Новиков"
    )  # no role yet: an ordinary card of the body

    for person in (p.alice, p.health_head, plain):
        assert scoping.can_change_person(p.health_head, person), person
    for person in (curator, observer, both, staff, p.dave):
        assert not scoping.can_change_person(p.health_head, person), person
    assert "куратор" in scoping.person_change_refusal(p.health_head, curator)
    assert "исполнитель (Дороги)" in scoping.person_change_refusal(p.health_head, both)
    assert "доступ к администрированию" in scoping.person_change_refusal(p.health_head, staff)
    for person in (curator, observer, both, staff, p.alice):
        assert scoping.can_change_person(p.admin, person)

    head = Client()
    head.force_login(p.health_head)
    refused = head.get(reverse("person_edit", args=[curator.pk]))
    assert refused.status_code == 403
    assert "изменяет администратор" in refused.content.decode() and "куратор" in refused.content.decode()
    assert head.get(reverse("person_edit", args=[p.alice.pk])).status_code == 200
    listed = head.get(reverse("person_list")).content.decode()
    assert reverse("person_edit", args=[p.alice.pk]) in listed
    assert reverse("person_edit", args=[curator.pk]) not in listed
    assert reverse("person_edit", args=[observer.pk]) not in listed
