"""R-6: a person whose executor's role the administrator moves to another body works in that body from then on —
its head manages the card and the absences; a body the administrator chooses on the same page stands."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body, Person, Role
from tests.conftest import Personas
from tests.org.admin_pages import change_page_data

pytestmark = pytest.mark.django_db


def _move_role(client: Client, personas: Personas, person: Person, to: Body, **extra: Any) -> str:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    url = f"/admin/org/person/{person.pk}/change/"
    data = change_page_data(client.get(url))
    role_field = next(k for k, v in data.items() if k.startswith("roles-") and k.endswith("-body"))
    data[role_field] = str(to.pk)
    data.update(extra)
    saved = client.post(url, data, follow=True)
    assert saved.redirect_chain, saved.content.decode()[:3000]
    return saved.content.decode()


def test_r6_a_person_whose_role_moves_to_another_body_moves_with_it(
    client: Client, personas: Personas
) -> None:
    alice = personas.alice  # the health body's executor, her body the health body
    assert alice.body == personas.health
    page = _move_role(client, personas, alice, personas.roads)
    alice.refresh_from_db()
    assert alice.body == personas.roads
    assert "Место работы сотрудника изменено: Дороги (роль перенесена в этот орган)." in page
    # the new body's head manages her card; the old one's no longer does
    client.force_login(personas.roads_head)
    assert client.get(reverse("person_edit", args=[alice.pk])).status_code == 200
    client.force_login(personas.health_head)
    assert client.get(reverse("person_edit", args=[alice.pk])).status_code == 404


def test_r6_a_body_chosen_on_the_same_page_stands(client: Client, personas: Personas) -> None:
    """The role moves to roads, the administrator puts her in the office (seconded): the choice stands."""
    alice = personas.alice
    _move_role(client, personas, alice, personas.roads, body=str(personas.office.pk))
    alice.refresh_from_db()
    assert alice.body == personas.office


def test_r6_the_role_in_her_body_moved_to_her_other_body_moves_her_too(
    client: Client, personas: Personas
) -> None:
    """Алексеева works in health (executor) and is also the roads committee's responsible official. The
    administrator moves her executor's role to roads: both her working roles are now in roads, none in health. She
    works in roads: its responsible official manages her card, health's no longer does."""
    p = personas
    alice: Person = p.alice
    Role.objects.create(person=alice, kind=Role.Kind.RESPONSIBLE, body=p.roads)
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    url = f"/admin/org/person/{alice.pk}/change/"
    data = change_page_data(client.get(url))
    executor_body = next(
        k for k, v in data.items() if k.startswith("roles-") and k.endswith("-body") and v == str(p.health.pk)
    )
    data[executor_body] = str(p.roads.pk)
    saved = client.post(url, data, follow=True)
    assert saved.redirect_chain, saved.content.decode()[:3000]
    assert set(alice.roles.values_list("body", flat=True)) == {p.roads.pk}  # every working role in roads

    alice.refresh_from_db()
    assert alice.body == p.roads
    client.force_login(p.roads_head)
    assert client.get(reverse("person_edit", args=[alice.pk])).status_code == 200
    client.force_login(p.health_head)
    assert client.get(reverse("person_edit", args=[alice.pk])).status_code == 404
