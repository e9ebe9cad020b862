"""R-6: a colleague added in the admin on an installation's first day — the add page asks for the name, e-mail and
body; a person given an executor's role of one body and no body of their own works in that body, so its
responsible official manages them (found by a first-day walk of a new installation)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Person, Role
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
ADD = "/admin/org/person/add/"


def _add(client: Client, personas: Personas, **extra: object) -> Person:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    added = client.post(
        ADD,
        {
            "username": "petrov",
            "usable_password": "true",
            "password1": "Ispolnitel-2026-pass",
            "password2": "Ispolnitel-2026-pass",
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-kind": Role.Kind.EXECUTOR,
            "roles-0-body": personas.health.pk,
            **extra,
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    return Person.objects.get(username="petrov")


def test_r6_the_admin_add_page_asks_for_the_name_e_mail_and_body(client: Client, personas: Personas) -> None:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    page = client.get(ADD).content.decode()
    for field in ("last_name", "first_name", "middle_name", "email", "body", "position"):
        assert f'name="{field}"' in page, field
    person = _add(client, personas, last_name="Петров", first_name="Пётр", email="petrov@lenreg.ru")
    assert (person.last_name, person.email) == ("Петров", "petrov@lenreg.ru")


def test_r6_a_person_added_with_an_executor_role_is_managed_by_the_body_head(
    client: Client, personas: Personas
) -> None:
    petrov = _add(client, personas)
    assert petrov.body == personas.health  # the body of their only working role

    client.force_login(personas.health_head)
    assert client.get(reverse("person_edit", args=[petrov.pk])).status_code == 200
    form = client.get(reverse("absence_create")).content.decode()
    assert f'value="{petrov.pk}"' in form


def test_r6_a_body_chosen_by_the_admin_is_kept(client: Client, personas: Personas) -> None:
    """Roles of one body and a body of another (a person seconded to help): the admin's choice stands."""
    petrov = _add(client, personas, body=personas.roads.pk)
    assert petrov.body == personas.roads
