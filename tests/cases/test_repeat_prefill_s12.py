"""R-8.10, R-8.1 (review of bf3ff9c..HEAD): a repeat comes to the dispatch form with the earlier case's topic and
place where the machine left them blank (`cases.suggest._as_in_earlier`) — not over what the machine did suggest."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind
from otklik.cases.models import Case
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.cases.helpers import message
from tests.cases.test_inbox_suggestions import selected, suggest
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r8_10_a_repeat_keeps_the_whole_oblast_the_machine_suggested(
    client: Client, personas: Personas
) -> None:
    """R-8.1, R-8.10: the new message speaks of the whole oblast («по всей области») and the machine suggests
    «Ленинградская область в целом»; it is also like an earlier case about Гатчинский округ. The form comes with
    Гатчинский округ selected — the machine's place is replaced, while the hint beside the field still reads
    «Ленинградская область в целом (в тексте: «по всей области»); как в обращении № N»."""
    p = personas
    group = TopicGroup.objects.create(name="Образование")
    topic = Topic.objects.create(group=group, name="Зарплаты учителей")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    client.force_login(p.curator)
    first = message("В гатчинских школах учителям задерживают зарплату")
    client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {"body_1": p.health.pk, "topic": topic.pk, "municipality": gatchina.pk},
    )
    earlier = Case.objects.get()
    again = message("Учителям по всей области задерживают зарплату, сколько можно?")
    suggest(
        again,
        Kind.PLACE,
        {
            "municipality_id": None,
            "source": "oblast",
            "whole_oblast": True,
            "oblast_words": "по всей области",
        },
        0.6,
    )
    suggest(
        again,
        Kind.REPEAT,
        {"candidates": [{"message_id": first.pk, "similarity": 0.9, "same_author": False}]},
    )
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert f"как в обращении № {earlier.pk}" in form  # the topic does come from the earlier case
    assert selected(form, "topic") == [str(topic.pk)]
    assert "подсказка: Ленинградская область в целом (в тексте: «по всей области»)" in form
    assert selected(form, "municipality") == ["oblast"]


def test_r8_10_a_repeat_does_not_pass_the_machines_unsure_topic_off_as_the_earlier_cases(
    client: Client, personas: Personas
) -> None:
    """R-8.10, R-8.1: the machine guessed «Запись к врачу» but was not sure (the field stays blank, the hint says so);
    the earlier case the message repeats is about «Ямы на дорогах», and that topic is selected. The hint beside the
    field drops «машина не уверена» and reads «Здравоохранение: Запись к врачу (10 %); как в обращении № N»: the
    curator reads that the earlier case was about the doctor and that the machine is sure, while the form holds the
    roads topic."""
    p = personas
    roads = TopicGroup.objects.create(name="Дороги")
    pits = Topic.objects.create(group=roads, name="Ямы на дорогах")
    health = TopicGroup.objects.create(name="Здравоохранение")
    Topic.objects.create(group=health, name="Запись к врачу")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    client.force_login(p.curator)
    first = message("Яма на Соборной в Гатчине")
    client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {"body_1": p.roads.pk, "topic": pits.pk, "municipality": gatchina.pk},
    )
    earlier = Case.objects.get()
    again = message("Опять та же яма, записался в шиномонтаж")
    suggest(again, Kind.TOPIC, {"top": [], "topic": "Запись к врачу", "group": "Здравоохранение"}, 0.1)
    suggest(
        again,
        Kind.REPEAT,
        {"candidates": [{"message_id": first.pk, "similarity": 0.9, "same_author": False}]},
    )
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert selected(form, "topic") == [str(pits.pk)]
    hint = form.split("<label>Тема", 1)[1].split("<select", 1)[0]
    assert f"как в обращении № {earlier.pk}" in hint
    assert "Ямы на дорогах" in hint or "не уверена" in hint, hint
