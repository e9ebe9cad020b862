"""Found by a review (session 25), fixed since. R-3, R-4.1–4.3: the role «куратор» given to a municipal administration's employee with «орган» left empty is
accepted — exactly as the refusal of the bound role tells the administrator to do — and she reads and routes every
case of the oblast.

Scenario (Monday 28.04.2025): the curator sends a message to the oblast health committee (case № N). Глебова works
at «Администрация Гатчинского муниципального округа» (her card's «орган»). The administrator, on the admin's «Роли»,
gives her «куратор» bound to the administration; the page refuses it: «Роль «куратор» — роль Управления
информационной политики … Оставьте поле «орган» пустым или выберите управление …». She leaves «орган» empty, as told,
and saves.

Now: the role is taken, and Глебова — an employee of a municipal administration — opens the health committee's case
№ N and finds it in «Обращения» (and gets the inbox of every message of the oblast). The rule of decision 0001
(«Municipal administrations»: the curator's role is the office's; an administration's people are executors and a
responsible official and see their own cases only) is kept only for the role bound to a body. The observer's role
is checked against the person's card too (`Role.clean`: `where = self.body or self.person.body`), the curator's is
not.

Should: the role is refused for a person whose card names a municipal administration (in Russian, as the bound one),
or Глебова does not open the oblast's case (404).

Cause: `src/otklik/org/models.py`, `Role.clean`: the curator check looks at `self.body` only, never at
`self.person.body`; the refusal's own wording sends the administrator to the unchecked path.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body, Municipality, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_r4_1_a_curator_role_without_a_body_is_no_door_for_an_administrations_employee(
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
    bound = admin.post(
        "/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.CURATOR, "body": district.pk}
    )
    hint = "(муниципальное образование) дайте роли «исполнитель» или «ответственное должностное лицо»"
    assert bound.status_code == 200 and hint in bound.content.decode()
    unbound = admin.post(
        "/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.CURATOR, "body": ""}
    )
    assert unbound.status_code == 200 and hint in unbound.content.decode()
    assert not Role.objects.filter(person=glebova, kind=Role.Kind.CURATOR).exists()

    client = Client()
    client.force_login(glebova)
    status = client.get(reverse("cases:detail", args=[case.pk])).status_code
    listed = reverse("cases:detail", args=[case.pk]) in client.get(reverse("cases:list")).content.decode()
    assert (status, listed) == (404, False), (
        f"Глебова, of the Gatchina municipal administration on her card, given «куратор» with «орган» left empty as "
        f"the refusal advised, opens the oblast health committee's case № {case.pk} (status {status}) and finds it "
        f"in «Обращения» ({listed})"
    )
