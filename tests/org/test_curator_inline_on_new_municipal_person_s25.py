"""Found by a review (session 25), fixed since. R-3, R-4.1 (decision 0001): on the admin's «Сотрудники» → «Добавить», a new employee of a municipal administration
is saved with the role «куратор» (the «Роли» rows on the same page, «орган» of the role left empty) — and she opens
every case of the oblast.

Scenario (Monday 28.04.2025): the curator sends a message to the oblast health committee (case № N). The
administrator adds Глебова: «Орган» — «Администрация Гатчинского муниципального округа», and in the «Роли» rows on
the same page «куратор» with no body. Saved. Глебова signs in and opens the health committee's case.

Decision 0001 (since today): «the curator's and the observer's roles are refused to a person whose card names an
administration»; the same role added on «Роли» for an existing person is refused.

Should: the add page refuses the role in Russian (as «Роли» does), and Глебова does not open the case (404).

Cause: `src/otklik/org/models.py`, `Role.clean`: ``where = self.body if self.body is not None else (self.person.body
if self.person_id else None)`` — on the add page the person is not saved yet (`person_id` is None) though
`self.person` is the new card with its body; `Person.clean` only looks at roles already in the database
(``self.pk is not None``). Fix: read ``self.person.body`` whenever the role has a person object (``self.person``
via the cached relation), not only when ``person_id`` is set.
"""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.org.models import Body, Municipality, Person, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r4_1_a_new_administration_employee_is_not_added_with_the_curators_role(personas: Personas) -> None:
    p = personas
    dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    district = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    admin = Client()
    admin.force_login(p.admin)
    added = admin.post(
        "/admin/org/person/add/",
        {
            "username": "glebova",
            "usable_password": "true",
            "password1": "Гатчина-2025-пароль",
            "password2": "Гатчина-2025-пароль",
            "last_name": "Глебова",
            "first_name": "Анна",
            "email": "glebova@gatchina.example",
            "body": district.pk,
            "roles-TOTAL_FORMS": "1",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-kind": Role.Kind.CURATOR,
            "roles-0-body": "",
        },
    )
    # refused on the page, in Russian, and nothing saved: she is added as an executor or a responsible official
    assert added.status_code == 200
    assert "(муниципальное образование) дайте роли «исполнитель»" in added.content.decode()
    assert not Person.objects.filter(username="glebova").exists()
