"""Audit log: granting a person groups or permissions in the admin is a change of the directory and is recorded with
who did it and what the person had before and after."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from otklik.audit.context import acting_as
from otklik.audit.models import AuditEntry
from tests.conftest import Personas


def _person_entries(personas: Personas) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            model="org.Person", object_pk=str(personas.bob.pk), action="update"
        ).order_by("id")
    )


@pytest.mark.django_db
def test_permissions_and_groups_granted_in_the_admin_are_in_the_audit_log(
    personas: Personas, client: Client
) -> None:
    admin, bob = personas.admin, personas.bob
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    group = Group.objects.create(name="Редакторы справочника")
    permission = Permission.objects.get(codename="delete_body")
    before = AuditEntry.objects.count()
    response = client.post(
        f"/admin/org/person/{bob.pk}/change/",
        {
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
            "groups": [group.pk],
            "user_permissions": [permission.pk],
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    changes = {
        name: (old, new)
        for e in AuditEntry.objects.order_by("id")[before:]
        if e.model == "org.Person" and e.object_pk == str(bob.pk)
        for name, old, new in e.changed_fields()
    }
    assert changes["groups"] == ([], [str(group.pk)])
    assert changes["user_permissions"] == ([], [str(permission.pk)])
    entry = next(e for e in _person_entries(personas) if "user_permissions" in (e.after or {}))
    assert entry.actor_name == admin.get_full_name() and entry.reason.startswith("POST /admin/org/person/")


@pytest.mark.django_db
def test_adding_a_person_to_a_group_from_the_group_side_is_recorded(personas: Personas) -> None:
    group = Group.objects.create(name="Наблюдатели")
    with acting_as(personas.admin):
        group.user_set.add(personas.bob)
        group.user_set.clear()
    (added, cleared) = [e for e in _person_entries(personas) if "groups" in (e.after or {})]
    assert (added.before, added.after) == ({"groups": []}, {"groups": [str(group.pk)]})
    assert (cleared.before, cleared.after) == ({"groups": [str(group.pk)]}, {"groups": []})
    assert added.actor_name == personas.admin.get_full_name()
