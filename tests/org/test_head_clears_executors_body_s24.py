"""Found by a review (session 24), fixed since. R-6 (the head of each body names its executors and manages them), decision 0001: «A body's responsible official
edits the cards and absences of their body's people and cannot move people to other bodies».

Scenario (any working day): Яковлева, responsible official of «Здравоохранение», opens the card of her executor
Алексеева («Сотрудники» → edit). The «Орган» select offers «Здравоохранение» and the empty choice «---------»; she
picks the empty one (by mistake, or to «take her off» the body) and saves.

Now: the card is saved with no body. Алексеева is still the body's executor (her role stays, she keeps getting
the body's cases), but she has left her head's reach: the head's next visit to her card answers 404, and the
head can no longer record her sick leave or vacation (she is not among the people on the absence form) — only an
administrator can bring her back. The body's page lists her among the roles but not among its people.
Should: a responsible official cannot take a person out of the body either: the empty choice is refused in
Russian (or not offered), and the card keeps «Здравоохранение».

Suspected: `web.views.PersonUpdate.get_form` narrows the body select to the head's bodies but leaves the field
optional (`Person.body` is blank=True), so «---------» passes.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_head_cannot_take_her_executor_out_of_the_body(personas: Personas, client: Client) -> None:
    p = personas
    client.force_login(p.health_head)
    url = reverse("person_edit", args=[p.alice.pk])
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() not in (None, False)}
    data.update(body="", is_active="on")

    client.post(url, data)

    p.alice.refresh_from_db()
    assert p.alice.body == p.health, "the head took her executor out of the body"
    # still within the head's reach: her card and her absences
    assert client.get(url).status_code == 200
    absence_form = client.get(reverse("absence_create")).context["form"]
    assert p.alice in absence_form.fields["person"].queryset
