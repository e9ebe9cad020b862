"""R-13: the quarterly rating's formula is edited by administrators. With every weight 0 the rating page names the
admin section as the admin calls it («Веса составляющих рейтинга»), and the admin is warned when she saves weights
that leave no formula. Found by a walk through the demo (session 18): the page named a section «Составляющие
рейтинга» that the admin does not have, and all-zero weights were saved without a word."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.reports.models import RatingComponent
from otklik.reports.rating import active_formula
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _admin(personas: Personas) -> Client:
    person = personas.admin
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client()
    client.force_login(person)
    return client


def test_the_rating_without_weights_names_the_admin_section_as_the_admin_calls_it(
    client: Client, personas: Personas
) -> None:
    RatingComponent.objects.update(weight=0)
    client.force_login(personas.observer)
    page = client.get(reverse("reports:rating")).content.decode()
    assert "Рейтинг не рассчитан" in page
    section = str(RatingComponent._meta.verbose_name_plural)
    assert f"«{section[0].upper()}{section[1:]}»" in page
    admin_index = _admin(personas).get("/admin/").content.decode()
    assert f"{section[0].upper()}{section[1:]}" in admin_index  # the admin's own name for it


def test_saving_a_component_with_no_weight_left_warns_the_admin(personas: Personas) -> None:
    components = active_formula()
    RatingComponent.objects.exclude(pk=components[0].pk).update(weight=0)
    first = components[0]
    client = _admin(personas)
    url = f"/admin/reports/ratingcomponent/{first.pk}/change/"
    form = {
        "metric": first.metric,
        "weight": "0",
        "is_active": "on",
        "order": str(first.order),
        "description": first.description,
    }
    page = client.post(url, form, follow=True).content.decode()
    first.refresh_from_db()
    assert first.weight == 0  # saved as asked
    assert "рейтинг органов не будет рассчитан" in page
    # a weight back above zero: no warning
    page = client.post(url, {**form, "weight": "1"}, follow=True).content.decode()
    assert "рейтинг органов не будет рассчитан" not in page
