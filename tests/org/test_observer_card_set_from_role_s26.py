"""Found by a review (session 26), fixed since. R-3, R-4.1 (decision 0001: «the curator's and the observer's roles are refused to a person whose card names an
administration»): on the admin's «Сотрудники» → «Добавить» the administrator adds Глебова with «Орган» left empty and
two «Роли» rows: «наблюдатель» (no body) and «исполнитель» of «Администрация Гатчинского муниципального округа».
Saved without a word of refusal; the page says «Место работы сотрудника: Администрация Гатчинского … (по его роли)» —
the card now names the administration while she keeps «наблюдатель» and reads every case of the oblast (the health
committee's case). Exactly what the add page refuses when «Орган» is chosen by hand.

Cause: `src/otklik/org/admin.py`, `PersonAdmin.save_related` sets ``person.body_id`` from the working role after
`Role.clean` / `Person.clean` ran (the card was empty then), and saves with ``update_fields`` — no check.
"""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases.scoping import cases_for
from otklik.org.models import Body, Municipality, Person, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r4_1_card_taken_from_a_municipal_role_keeps_no_observer(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
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
    response = admin.post(
        "/admin/org/person/add/",
        {
            "username": "glebova",
            "usable_password": "true",
            "password1": "Гатчина-2025-пароль",
            "password2": "Гатчина-2025-пароль",
            "last_name": "Глебова",
            "first_name": "Анна",
            "email": "glebova@gatchina.example",
            "body": "",
            "roles-TOTAL_FORMS": "2",
            "roles-INITIAL_FORMS": "0",
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
            "roles-0-kind": Role.Kind.OBSERVER,
            "roles-0-body": "",
            "roles-1-kind": Role.Kind.EXECUTOR,
            "roles-1-body": district.pk,
        },
        follow=True,
    )
    glebova = Person.objects.filter(username="glebova").first()
    if glebova is None:
        return  # refused on the page: fine
    # saved: then her card must not name the administration while she reads the whole oblast
    in_administration = glebova.body_id == district.pk
    reads_oblast = cases_for(glebova).filter(pk=case.pk).exists()
    assert not (in_administration and reads_oblast), (
        f"card: {glebova.body}, roles: {list(glebova.roles.values_list('kind', 'body__name'))}"
    )
    assert (
        glebova.body_id is None
    )  # the card is left empty, as the administrator left it, and she is told why
    assert "Место работы не изменено на «Администрация Гатчинского муниципального округа»" in (
        response.content.decode()
    )
