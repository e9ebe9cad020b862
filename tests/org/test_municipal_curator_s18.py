"""R-3, R-4.1–4.3: a municipal administration takes part in the process as an answering body, each organisation
seeing only its own work. A curator coordinates for the whole installation — every case is open to her — so the
directory refuses the curator's role bound to an administration (or to any body but the information policy
office) with a Russian reason beside the field, and names the roles its people take instead. Found by a review
(session 18): the administrator could bind a curator to the Gatchina administration, and that coordinator opened
and routed the oblast committees' cases. The decision is in docs/decisions/0001-foundation.md («Who sees a case»)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from otklik.org.models import Body, Municipality, Role
from tests.conftest import Personas, make_person

pytestmark = pytest.mark.django_db


def _administration() -> Body:
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    return Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )


def test_admin_page_refuses_a_curator_bound_to_a_municipal_administration(personas: Personas) -> None:
    p = personas
    district = _administration()
    coordinator = make_person("gatchina_coord", district, last_name="Глебова")
    p.admin.is_staff = p.admin.is_superuser = True  # as `otklik createsuperuser` makes the administrator
    p.admin.save()
    client = Client()
    client.force_login(p.admin)
    response = client.post(
        "/admin/org/role/add/", {"person": coordinator.pk, "kind": Role.Kind.CURATOR, "body": district.pk}
    )
    assert response.status_code == 200  # the form again, not a redirect to the list
    page = response.content.decode()
    assert "Роль «куратор» — роль Управления информационной политики" in page
    assert "исполнитель" in page
    assert not Role.objects.filter(person=coordinator, kind=Role.Kind.CURATOR).exists()


def test_curator_of_the_office_or_of_no_body_is_taken(personas: Personas) -> None:
    p = personas
    Role(person=p.curator, kind=Role.Kind.CURATOR, body=p.office).full_clean(
        validate_unique=False, validate_constraints=False
    )
    Role(person=p.curator, kind=Role.Kind.CURATOR, body=None).full_clean(
        validate_unique=False, validate_constraints=False
    )
    with pytest.raises(ValidationError):
        Role(person=p.curator, kind=Role.Kind.CURATOR, body=p.health).full_clean(
            validate_unique=False, validate_constraints=False
        )
