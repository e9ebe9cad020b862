"""R-8.1 (review of 2026-11-30): the dispatch form requires a topic or «a group of topics as a whole». It offered
the groups only through their active topics (`{% regroup topics by group %}`), so a group in force with no topic in
force could not be chosen, and a group taken out of the directory was still offered and accepted: now it offers
what the directory says is in force (`TopicGroup.is_active`) and refuses the rest."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> dict[str, str]:
    """The options of the form's select `name`: value → the text the curator reads."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1]))


def test_r8_1_an_active_group_with_no_active_topic_can_be_chosen_as_a_whole(
    client: Client, personas: Personas
) -> None:
    """«Прочее» is kept as a group for what no topic fits, its only topic retired: the form must still offer the
    group as a whole. Today it offers a group only through an active topic of it, so such a group cannot be set,
    and a directory whose topics are all retired leaves the required select with nothing to choose: no message
    can be dispatched at all."""
    roads = TopicGroup.objects.create(name="Дороги")
    Topic.objects.create(group=roads, name="Ямы на дорогах")
    other = TopicGroup.objects.create(name="Прочее")
    Topic.objects.create(group=other, name="Иное", is_active=False)
    m = message("Когда в области поднимут зарплаты врачам?")
    client.force_login(personas.curator)
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    offered = options(form, "topic")
    assert offered[f"group:{roads.pk}"] == "(вся группа тем «Дороги»)"
    assert offered.get(f"group:{other.pk}") == "(вся группа тем «Прочее»)"


def test_r8_1_a_group_out_of_the_directory_is_neither_offered_nor_accepted(
    client: Client, personas: Personas
) -> None:
    """A group taken out of the directory (`TopicGroup.is_active=False`) whose topics were left active: the form
    offers the group and its topics, and accepts them — unlike a retired topic, which `_topic` refuses."""
    old = TopicGroup.objects.create(name="Старая группа", is_active=False)
    Topic.objects.create(group=old, name="Старая тема")
    roads = TopicGroup.objects.create(name="Дороги")
    Topic.objects.create(group=roads, name="Ямы на дорогах")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    m = message("Яма на Соборной в Гатчине")
    client.force_login(personas.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    sent = client.post(  # a form opened before the group was taken out of the directory
        url, {"body_1": personas.roads.pk, "topic": f"group:{old.pk}", "municipality": gatchina.pk}
    )
    assert sent.status_code == 400
    assert not Case.objects.exists()

    offered = options(client.get(url).content.decode(), "topic")
    assert f"group:{roads.pk}" in offered
    assert f"group:{old.pk}" not in offered
    assert not any(text.startswith("Старая группа") for text in offered.values())


def test_r8_1_typed_letters_find_the_topic_not_its_group(client: Client, personas: Personas) -> None:
    """A walk (2026-11-30): every option began with its group's name («Дороги: Ямы на дорогах») and each group with
    «Дороги: группа тем целиком», so the letters a curator typed on the list («Ямы», «Ремонт») jumped to a group or
    to nothing. Under its group's heading a topic now reads by its own name, the ЦУР mark «★» at the end, and the
    group's own option starts with a bracket no topic starts with."""
    group = TopicGroup.objects.create(name="Дороги")
    Topic.objects.create(group=group, name="★ Ямы во дворах")
    Topic.objects.create(group=group, name="Ремонт дороги")
    client.force_login(personas.curator)
    form = client.get(reverse("cases:dispatch", args=[message("Яма во дворе").pk])).content.decode()
    select = form[
        form.index('<select name="topic"') : form.index("</select>", form.index('<select name="topic"'))
    ]
    names = re.findall(r'<option value="[^"]+">([^<]*)</option>', select)
    assert names == ["(вся группа тем «Дороги»)", "Ремонт дороги", "Ямы во дворах ★"]
    assert '<optgroup label="Дороги">' in select
