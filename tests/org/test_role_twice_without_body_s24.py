"""Found by a review (session 24), fixed since. R-6, R-4.2: a role of no body (curator, observer, administrator) is
refused when the person already holds it.

Scenario: the administrator gives Кураторова, already a curator, the role «куратор» again in «Администрирование →
Роли → Добавить». Before the fix it was accepted — the constraint on (person, role, body) lets two rows with an
empty body in, since the database counts empty values as different — and later deleting one of the two rows («she
is no longer a curator») left her a curator. Now the form says in Russian that she already holds the role, and the
database refuses a second row too; a migration removes the copies already stored, writing each in the audit log.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from otklik.audit.models import AuditEntry
from otklik.org.models import Role
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r6_a_curator_role_given_twice_is_refused_in_russian(personas: Personas) -> None:
    p = personas
    assert Role.objects.filter(person=p.curator, kind=Role.Kind.CURATOR, body__isnull=True).count() == 1
    client = Client()
    client.force_login(p.admin)
    page = client.post(
        "/admin/org/role/add/", {"person": p.curator.pk, "kind": Role.Kind.CURATOR, "body": ""}
    )
    assert page.status_code == 200
    assert "У сотрудника уже есть эта роль." in page.content.decode()
    assert Role.objects.filter(person=p.curator, kind=Role.Kind.CURATOR).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(person=p.curator, kind=Role.Kind.CURATOR)


@pytest.mark.django_db(transaction=True)
def test_the_migration_removes_the_copies_stored_before() -> None:
    """Migrated back to before the constraint, a curator's role stored twice; migrated forward, it is once, and
    the copy's removal is in the audit log, by «система»."""
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0006_administrators_open_the_admin")])
    old = executor.loader.project_state([("org", "0006_administrators_open_the_admin")]).apps
    person = old.get_model("org", "Person").objects.create(
        username="twice", last_name="Дважды", first_name="Анна"
    )
    roles = old.get_model("org", "Role")
    roles.objects.create(person=person, kind="curator")
    roles.objects.create(person=person, kind="curator")
    assert roles.objects.filter(person=person).count() == 2

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Role.objects.filter(person_id=person.pk, kind=Role.Kind.CURATOR).count() == 1
    entry = AuditEntry.objects.get(model="org.Role", action="delete")
    assert entry.actor_name == "система" and entry.object_repr == "Дважды Анна: куратор"
