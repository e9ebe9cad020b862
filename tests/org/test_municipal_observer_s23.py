"""Found by a review (session 23), fixed since. R-3, R-4.1–4.3 (municipal administrations take part in the same installation, each organisation seeing only its
own work; docs/decisions/0001-foundation.md «Municipal administrations»: their people are executors and a
responsible official, and they see their own cases only).

Scenario. Monday 28.04.2025 10:00: the curator sends a message about the Gatchina polyclinic to the oblast health
committee (case № N). The administrator sets up the Gatchina municipal okrug's administration and, on the admin's
«Роли» page, gives Глебова — of that administration, who is to follow how her administration answers — the role
«наблюдатель» with the body «Администрация Гатчинского муниципального округа».

Now: the admin page takes the role (only «куратор» is refused for a body other than the office, `Role.clean`), and an
observer sees every case of the installation (`cases.scoping.sees_all`): Глебова opens the health committee's case
№ N at /cases/N/ and finds it in «Обращения» — a municipal administration reads the oblast bodies' work.

Should: as with the curator's role (tests/org/test_municipal_curator_s18.py), the oblast-wide reader's role
(«наблюдатель» — the vice-governor's office, R-12/R-13) is not bound to a municipal administration: the admin page
refuses it with a Russian reason (or the role reads only the administration's own work); either way Глебова does not
open the health committee's case (404, as for anyone outside its bodies).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body, Municipality, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def _administration() -> Body:
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    return Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )


def test_an_observer_bound_to_a_municipal_administration_does_not_read_an_oblast_committees_case(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    district = _administration()
    glebova = make_person("gatchina_observer", district, last_name="Глебова")

    p.admin.is_staff = p.admin.is_superuser = True  # as `otklik createsuperuser` makes the administrator
    p.admin.save()
    admin = Client()
    admin.force_login(p.admin)
    admin.post(
        "/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.OBSERVER, "body": district.pk}
    )

    client = Client()
    client.force_login(glebova)
    status = client.get(reverse("cases:detail", args=[case.pk])).status_code
    listed = reverse("cases:detail", args=[case.pk]) in client.get(reverse("cases:list")).content.decode()
    assert (status, listed) == (404, False), (
        f"Глебова (Gatchina municipal administration, role «наблюдатель» bound to it) opens the oblast health "
        f"committee's case № {case.pk} (status {status}) and finds it in «Обращения» ({listed})"
    )
