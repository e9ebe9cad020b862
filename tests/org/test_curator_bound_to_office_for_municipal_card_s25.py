"""Found by a review (session 25), fixed since. R-3, R-4.1 (decision 0001): an employee of a municipal administration gets the role «куратор» (and with it every
case of the oblast) when the administrator binds the role to the information policy office instead of leaving
«орган» empty.

Scenario (Monday 28.04.2025): the curator sends a message to the oblast health committee (case № N). Глебова works
at «Администрация Гатчинского муниципального округа» (her card's «орган»). On the admin's «Роли» the administrator
gives her «куратор» with «орган» empty — refused, as decision 0001 now says («the curator's and the observer's roles
are refused to a person whose card names an administration»). He picks «Управление информационной политики» as the
role's «орган» and saves: accepted. Глебова opens the health committee's case and finds it in «Обращения».

Meanwhile `Person.clean` refuses such a person's card (a whole-oblast role, whatever body the role names) and
`Body.clean` counts the roles of the body's people by their card: only `Role.clean` looks at the role's body first.

Should: refused in Russian like the empty «орган», and Глебова does not open the oblast's case (404).

Cause: `src/otklik/org/models.py`, `Role.clean`: ``where = self.body if self.body is not None else
self.person.body`` — the person's card is read only when the role names no body, so a role bound to the office
(not municipal, is_coordinator) passes both checks.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body, Municipality, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_r4_1_a_curator_role_bound_to_the_office_is_no_door_for_an_administrations_employee(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    district = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    glebova = make_person("gatchina_coord", district, last_name="Глебова")

    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    admin = Client()
    admin.force_login(p.admin)
    hint = "(муниципальное образование) дайте роли «исполнитель» или «ответственное должностное лицо»"
    unbound = admin.post(
        "/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.CURATOR, "body": ""}
    )
    assert unbound.status_code == 200 and hint in unbound.content.decode()  # the refusal the fix brought

    admin.post("/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.CURATOR, "body": p.office.pk})
    taken = Role.objects.filter(person=glebova, kind=Role.Kind.CURATOR).exists()

    client = Client()
    client.force_login(glebova)
    status = client.get(reverse("cases:detail", args=[case.pk])).status_code
    assert (taken, status) == (False, 404), (
        f"Глебова (Gatchina municipal administration on her card) was given «куратор» bound to the information "
        f"policy office (role stored: {taken}) and opens the oblast health committee's case № {case.pk} "
        f"(status {status})"
    )
