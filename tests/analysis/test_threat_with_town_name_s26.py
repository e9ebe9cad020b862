"""Found by a review (session 26), fixed since. R-10 (review 74): a death threat to an official is not excluded when the official is named with an indeclinable
town («Главу Тосно …», «… Мурино …»): the moderation takes the town's name for what the harm verb acts on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.org.models import Body, Role
from tests.analysis.conftest import make_message
from tests.conftest import make_person

THREATS = [
    "Главу Тосно я убью, если до зимы не починят дорогу к садику",
    "Главу администрации Мурино пристрелю, если дорогу не сделают",
    "Главу Тосно я лично придушу за такие тарифы",
]


@pytest.mark.parametrize("text", THREATS, ids=["ubyu", "pristrelyu", "pridushu"])
def test_r10_a_threat_to_the_head_of_tosno_is_excluded(directory: None, client: Client, text: str) -> None:
    """R-10 («угрозы жизни, здоровью и имуществу должностного лица»): «Главу Тосно я убью …» arrives and is analysed
    as any other message; it lands in the curator's «Входящие сообщения» as ordinary work with the «Направить» button
    and bodies suggested, not under «Исключённые (модерация)». «Убью главу Тосно», «Главу района я лично придушу» are
    excluded: in `moderation._threats` the object of «убью/придушу/пристрелю» is looked for before the verb
    (`_harm_object`), and the first accusative-looking noun met is the indeclinable «Тосно»/«Мурино» — a thing,
    so the verb is taken as no threat; the official («главу») further back is never reached."""
    office = Body.objects.create(name="Управление информационной политики", is_coordinator=True)
    client.force_login(make_person("curator", office, Role.Kind.CURATOR))
    m = make_message(text)
    annotate_message(m)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    listed = f'data-message="{m.pk}"' in inbox
    assert not listed, "the threat is listed in «Входящие сообщения» as work to dispatch"
    assert is_blocked(m), f"«{text}» is not excluded by the moderation"
