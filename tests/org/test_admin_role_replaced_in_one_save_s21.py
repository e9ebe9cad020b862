"""R-6, docs/operations.md § First day (`org.signals`): a person who holds the role «администратор» has
«статус персонала», the admin's door. On the person's page in the admin an administrator replaces the row of the role
in one save — ticks «Удалить» on the old row and adds the role again below (to give it a body, say): the person keeps
the door and the menu's «Администрирование» (the role's new row reads the person's row, not the page's copy, which
still said staff status was on after the deletion took it off). Found by a review (session 21)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.org.models import Person, Role
from tests.conftest import Personas, make_person
from tests.org.admin_pages import change_page_data

pytestmark = pytest.mark.django_db


def test_an_administrator_whose_role_row_is_replaced_in_one_save_still_gets_into_the_administration(
    personas: Personas,
) -> None:
    first = Client()
    first.force_login(personas.admin)
    second = make_person("second_admin", personas.office, Role.Kind.ADMINISTRATOR, last_name="Вторая")
    assert Person.objects.get(pk=second.pk).is_staff

    url = f"/admin/org/person/{second.pk}/change/"
    data = change_page_data(first.get(url))
    old = str(Role.objects.get(person=second, kind=Role.Kind.ADMINISTRATOR).pk)
    prefix = next(
        k[: -len("-id")] for k, v in data.items() if k.startswith("roles-") and k.endswith("-id") and v == old
    )
    data[f"{prefix}-DELETE"] = "on"  # the old row goes…
    total = int(data["roles-TOTAL_FORMS"])
    data["roles-TOTAL_FORMS"] = str(total + 1)
    data[f"roles-{total}-kind"] = Role.Kind.ADMINISTRATOR  # …and the role comes back, now with her body
    data[f"roles-{total}-body"] = str(personas.office.pk)
    data[f"roles-{total}-person"] = str(second.pk)
    saved = first.post(url, data, follow=True)
    assert saved.redirect_chain, saved.content.decode()[:2000]
    assert Role.objects.filter(person=second, kind=Role.Kind.ADMINISTRATOR).exists()

    browser = Client()
    browser.force_login(Person.objects.get(pk=second.pk))
    # 302 to the admin's sign-in form: the role is hers, the door is shut
    assert browser.get("/admin/org/person/").status_code == 200
    assert 'href="/admin/"' in browser.get("/").content.decode()
