"""R-8.1 with the accessibility of refusals: a refused dispatch form marks (aria-invalid, focus by otklik.js through
`data-field`) the field the refusal is about, not another one."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body
from tests.cases.helpers import classified, marked_field, message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r8_1_a_second_body_taken_out_meanwhile_marks_the_second_body_not_the_first(
    client: Client, personas: Personas
) -> None:
    """The curator chose «Дороги» first and «Транспорт» second; «Транспорт» was taken out of the directory while
    the form was open. The refusal is about «Орган 2», yet «Орган 1» is marked invalid and gets the focus."""
    transport = Body.objects.create(name="Комитет по транспорту")
    m = message("Автобус до Лукашей ходит два раза в день, и дорога к остановке разбита")
    client.force_login(personas.curator)
    Body.objects.filter(pk=transport.pk).update(is_active=False)
    refused = client.post(
        reverse("cases:dispatch", args=[m.pk]),
        {"body_1": personas.roads.pk, "order_1": 1, "body_2": transport.pk, "order_2": 2, **classified()},
    )
    assert refused.status_code == 400
    assert marked_field(refused.content.decode()) == "body_2"


def test_r8_1_the_same_body_twice_marks_a_body_field(client: Client, personas: Personas) -> None:
    """«Один и тот же орган выбран дважды» is about the body list too, yet no field is marked (no code)."""
    m = message("Яма на Соборной в Гатчине, и ещё одна у школы")
    client.force_login(personas.curator)
    refused = client.post(
        reverse("cases:dispatch", args=[m.pk]),
        {
            "body_1": personas.roads.pk,
            "order_1": 1,
            "body_2": personas.roads.pk,
            "order_2": 2,
            **classified(),
        },
    )
    assert refused.status_code == 400
    assert "дважды" in refused.content.decode()
    assert marked_field(refused.content.decode()) == "body_2"
