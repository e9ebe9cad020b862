"""Found by a review (session 25), fixed since. R-3, R-4.1–4.3: a municipal administration can be marked «координатор (управление информационной политики)», and
then its employee is given the role «куратор» and reads (and routes) every case of the oblast.

Scenario (Monday 28.04.2025): the curator sends a message to the oblast health committee (case № N). The
administrator adds «Администрация Гатчинского муниципального округа» in the admin — level «администрация
муниципального образования», «Гатчинский муниципальный округ» — and, since the administration is to coordinate the
work with messages in its own district (п. 4.2–4.3: its own responsible officials and staff), ticks «координатор».
On «Роли» she then gives Глебова of that administration the role «куратор» bound to it.

Now: both saves are accepted (`Role.clean` refuses a curator bound to a body only when the body is no coordinator,
and `Body.clean` lets a municipal administration be one), and Глебова opens the health committee's case № N and
finds it in «Обращения» — an administration reads the oblast's work, which the directory refuses by the other door
(tests/org/test_municipal_curator_s18.py; docs/decisions/0001 «Municipal administrations»: the curator's role is the
information policy office's, an administration's own coordinator is not built).

Should: the administration's card is refused in Russian with «координатор» ticked (the coordinator is the oblast's
information policy office), or the role is refused, or Глебова does not open the oblast's case (404).

Cause: `src/otklik/org/models.py`, `Body.clean` does not refuse `is_coordinator` on a body of level «municipal»;
`Role.clean` trusts `body.is_coordinator`.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body, Municipality, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def _card(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in page.context["adminform"].form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else str(value)
    return data


def test_r4_1_a_municipal_administration_is_no_coordinator_whose_curator_reads_the_oblast(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")

    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    admin = Client()
    admin.force_login(p.admin)
    data = _card(admin.get("/admin/org/body/add/"))
    data.update(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=str(gatchina.pk),
        is_coordinator="on",
        is_active="on",
    )
    added = admin.post("/admin/org/body/add/", data)
    district = Body.objects.filter(name="Администрация Гатчинского муниципального округа").first()
    assert district is None and added.status_code == 200  # refused on the card, in words
    assert "снимите отметку «координатор»" in added.content.decode()
    # and bound to a municipal administration, «куратор» is refused too
    district = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    glebova = make_person("gatchina_curator", district, last_name="Глебова")
    admin.post("/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.CURATOR, "body": district.pk})
    assert not Role.objects.filter(person=glebova, kind=Role.Kind.CURATOR).exists()

    client = Client()
    client.force_login(glebova)
    status = client.get(reverse("cases:detail", args=[case.pk])).status_code
    listed = reverse("cases:detail", args=[case.pk]) in client.get(reverse("cases:list")).content.decode()
    assert (status, listed) == (404, False), (
        f"Глебова of the Gatchina municipal administration (saved as «координатор», her role «куратор» bound to "
        f"it) opens the oblast health committee's case № {case.pk} (status {status}) and finds it in «Обращения» "
        f"({listed})"
    )
