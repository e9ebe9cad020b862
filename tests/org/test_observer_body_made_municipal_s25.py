"""Found by a review (session 25), fixed since. R-3, R-4.1–4.3: an observer's role survives its body becoming a municipal administration, so the administration's
employee reads every case of the oblast.

Scenario (Monday 28.04.2025): the curator sends a message to the oblast health committee (case № N). The
administrator adds «Администрация Гатчинского муниципального округа» in the admin and leaves «уровень» at its
default «орган исполнительной власти области»; on the «Роли» page she gives Глебова (of that administration) the role
«наблюдатель» bound to it — accepted, since the body is (still) of oblast level. Then she notices the level, opens
the body's card and sets «администрация муниципального образования», «Гатчинский муниципальный округ».

Now: the save is accepted with no word about the observer role; Глебова, an employee of a municipal administration,
still opens the health committee's case № N and finds it in «Обращения». The directory refuses exactly this role
when it is given to an administration's people (`Role.clean`, tests/org/test_municipal_observer_s23.py), and the body
card refuses the level change while competences remain outside the formation (s24) — but not while such roles remain.

Should: the body's save is refused in Russian while an observer's (or curator's) role is bound to it or held by its
people, or Глебова no longer reads the oblast's case (404).

Cause: `src/otklik/org/models.py`, `Body.clean` checks the level against the municipality and the competences
(`_competences_outside`) but not the roles that `Role.clean` forbids for a municipal administration.
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


def test_r4_1_a_body_made_municipal_keeps_no_oblast_wide_observer(personas: Personas) -> None:
    p = personas
    dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    district = Body.objects.create(
        name="Администрация Гатчинского муниципального округа"
    )  # level left oblast
    glebova = make_person("gatchina_observer", district, last_name="Глебова")

    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    admin = Client()
    admin.force_login(p.admin)
    added = admin.post(
        "/admin/org/role/add/", {"person": glebova.pk, "kind": Role.Kind.OBSERVER, "body": district.pk}
    )
    assert added.status_code == 302 and Role.objects.filter(person=glebova, kind=Role.Kind.OBSERVER).exists()

    url = f"/admin/org/body/{district.pk}/change/"
    data = _card(admin.get(url))
    data.update(level=Body.Level.MUNICIPAL, municipality=str(gatchina.pk))
    saved = admin.post(url, data)
    district.refresh_from_db()
    assert saved.status_code == 200 and district.level == Body.Level.OBLAST  # refused on the card
    assert "роли, которые видят все обращения области: «наблюдатель» (Глебова" in saved.content.decode()


def test_r4_1_an_observer_moved_to_a_municipal_administration_on_her_card_no_longer_reads_the_oblast(
    personas: Personas,
) -> None:
    """The same rule by the person's card: the vice-governor's office's observer (no body on the role) moves to
    work at the Gatchina administration; the administrator sets «орган» on her card («Сотрудники» → изменить) and
    the save is accepted with no word about her role «наблюдатель» — which `Role.clean` refuses to a municipal
    administration's people. She keeps reading the health committee's case. Cause: `Person` has no check of its
    roles against its body (`src/otklik/org/models.py`; `org.forms.PersonForm`)."""
    p = personas
    dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    district = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    admin = Client()
    admin.force_login(p.admin)
    url = reverse("person_edit", args=[p.observer.pk])
    form = admin.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data["is_active"] = "on"
    data["body"] = str(district.pk)
    saved = admin.post(url, data)
    p.observer.refresh_from_db()
    assert saved.status_code == 200 and p.observer.body_id is None  # refused on the card
    assert "У сотрудника роли, которые видят все обращения области: «наблюдатель»" in saved.content.decode()
