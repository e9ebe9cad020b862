"""R-6 (roles), docs/operations.md § First day: the role «администратор» given on a person's card in the admin (the
roles below the card) is all a second administrator needs: «статус персонала» comes with it (`org.signals`,
written in «Журнал изменений» under the name of who gave it), the admin opens with every section
(`Person.has_perm`), and «Администрирование» in the site's menu leads there. Taking the role away takes the admin
away and the link with it — but never from the account `createsuperuser` made, whose superuser flag is Django's own.
The menu offers the link to whoever the admin lets in (`admin.site.has_permission`), nobody else. Administrators
given the role before are let in by the migration `org.0006`, recorded in the log too.
Before, the link led the second administrator to the admin's sign-in form («недостаточно прав»).
Found by a review (session 21)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from otklik.audit.models import AuditEntry
from otklik.org.models import Person, Role
from tests.conftest import Personas, make_person
from tests.org.admin_pages import change_page_data

pytestmark = pytest.mark.django_db


def _shows_admin_link(person: Person) -> bool:
    browser = Client()
    browser.force_login(person)
    return 'href="/admin/"' in browser.get("/").content.decode()


def test_the_administrators_menu_link_opens_the_administration(personas: Personas) -> None:
    browser = Client()
    browser.force_login(
        personas.admin
    )  # the role «администратор», as the fixtures and the admin's inline give it
    home = browser.get("/").content.decode()
    assert 'href="/admin/"' in home
    response = browser.get("/admin/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [] and "недостаточно прав" not in page, (
        f"«Администрирование» leads to {response.redirect_chain}: the admin's sign-in form saying she lacks rights"
    )
    # every section is there and opens: the people, the production calendar's upload, the sources
    assert "/admin/org/person/" in page and "/admin/intake/source/" in page
    for section in ("/admin/org/person/", "/admin/intake/source/", "/admin/org/person/add/"):
        assert browser.get(section).status_code == 200, section


def test_the_menu_offers_the_administration_only_to_whom_it_opens_for(personas: Personas) -> None:
    for person in (personas.curator, personas.observer, personas.health_head, personas.alice):
        assert not _shows_admin_link(person), person
        browser = Client()
        browser.force_login(person)
        assert browser.get("/admin/").status_code == 302  # the admin's sign-in form


def _save_roles(admin: Client, person: Person, *, add: str = "", remove: str = "") -> None:
    """The person's page in the admin saved with a role added below the card or one ticked «Удалить»."""
    url = f"/admin/org/person/{person.pk}/change/"
    data = change_page_data(admin.get(url))
    if add:
        total = int(data["roles-TOTAL_FORMS"])
        data["roles-TOTAL_FORMS"] = str(total + 1)
        data[f"roles-{total}-kind"] = add
        data[f"roles-{total}-person"] = str(person.pk)
    if remove:
        role_id = str(Role.objects.get(person=person, kind=remove).pk)
        prefix = next(
            k[: -len("-id")]
            for k, v in data.items()
            if k.startswith("roles-") and k.endswith("-id") and v == role_id
        )
        data[f"{prefix}-DELETE"] = "on"
    saved = admin.post(url, data, follow=True)
    assert saved.redirect_chain, saved.content.decode()[:3000]


def test_the_role_given_in_the_admin_lets_a_second_administrator_in_and_taking_it_away_shuts_the_door(
    personas: Personas,
) -> None:
    first = Client()
    first.force_login(personas.admin)
    second = make_person("second_admin", personas.office, last_name="Вторая")
    assert not _shows_admin_link(second)

    _save_roles(first, second, add=Role.Kind.ADMINISTRATOR)
    second.refresh_from_db()
    assert second.is_staff and not second.is_superuser
    assert _shows_admin_link(second)
    browser = Client()
    browser.force_login(second)
    assert browser.get("/admin/org/body/").status_code == 200
    given = AuditEntry.objects.filter(model="org.Person", object_pk=str(second.pk), action="update").latest(
        "id"
    )
    assert given.before["is_staff"] is False and given.after["is_staff"] is True
    assert given.actor_id == personas.admin.pk

    _save_roles(first, second, remove=Role.Kind.ADMINISTRATOR)
    second.refresh_from_db()
    assert not second.is_staff
    assert not _shows_admin_link(second)
    assert browser.get("/admin/org/body/").status_code == 302
    taken = AuditEntry.objects.filter(model="org.Person", object_pk=str(second.pk), action="update").latest(
        "id"
    )
    assert taken.before["is_staff"] is True and taken.after["is_staff"] is False
    assert taken.actor_id == personas.admin.pk


def test_the_account_createsuperuser_made_keeps_the_admin_when_a_role_given_to_it_is_taken_away(
    personas: Personas,
) -> None:
    root = Person.objects.create_superuser("root", "root@lenobl.example", "Пароль-для-теста-1")
    role = Role.objects.create(person=root, kind=Role.Kind.ADMINISTRATOR)
    role.delete()
    root.refresh_from_db()
    assert root.is_staff and root.is_superuser
    assert _shows_admin_link(root)
    browser = Client()
    browser.force_login(root)
    assert browser.get("/admin/org/person/").status_code == 200


def test_a_role_turned_into_another_kind_or_moved_to_another_person_takes_the_admin_with_it(
    personas: Personas,
) -> None:
    role = Role.objects.get(person=personas.admin, kind=Role.Kind.ADMINISTRATOR)
    role.person = personas.observer
    role.save()
    personas.admin.refresh_from_db()
    personas.observer.refresh_from_db()
    assert not personas.admin.is_staff and personas.observer.is_staff
    role.kind = Role.Kind.CURATOR
    role.save()
    personas.observer.refresh_from_db()
    assert not personas.observer.is_staff


def test_administrators_given_the_role_before_are_let_in_by_the_migration(personas: Personas) -> None:
    Person.objects.filter(pk=personas.admin.pk).update(is_staff=False)  # as the role left them before
    migration = importlib.import_module("otklik.org.migrations.0006_administrators_open_the_admin")
    migration.open_the_admin(apps, None)
    personas.admin.refresh_from_db()
    assert personas.admin.is_staff
    entry = AuditEntry.objects.filter(model="org.Person", object_pk=str(personas.admin.pk)).latest("id")
    assert entry.after == {"is_staff": True} and entry.actor_name == "система"
    assert not Person.objects.get(pk=personas.curator.pk).is_staff
