"""Found by a review (session 24), fixed since. R-3, R-4.1 with R-8.1: a municipal administration is competent in its own municipal formation only — the
competence matrix refuses anything else (`Competence.clean`, tests/org/test_explore_directory.py) — but the body's
own card in the admin lets the same state in by the other door.

Scenario (Monday 28.04.2025): the administrator adds «Администрация Лужского муниципального района» in the admin and
leaves «уровень» at its default, «орган исполнительной власти области». A curator makes it competent for «Содержание
кладбищ» (accepted: an oblast body is competent for the whole oblast). At 11:00 the administrator notices the level,
opens the body's card and sets «администрация муниципального образования», «Лужский муниципальный район».

Now: the save is accepted with no word about the matrix; the competence row stays «вся область», so routing offers
the Luga administration for a cemetery complaint from Gatchina (and from every other district), and «Компетенции»
lists it for the whole oblast — exactly what the matrix refuses to take.
Should: the body's save is refused in Russian while it has competences outside its municipal formation (or the
competences are brought in line) — the Luga administration is never offered for a Gatchina message.

The same happens when an administration's «муниципальное образование» is changed: its rows of the old formation
stay. Suspected: `org.models.Body.clean` checks the level against `municipality` but not the body's competences.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from otklik.analysis.routing import route
from otklik.org.models import Body, Competence, Municipality, Topic, TopicGroup
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _errors(response: Any) -> list[str]:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S)
    return [re.sub(r"<[^>]+>", "", e).strip() for e in found]


def _card(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in page.context["adminform"].form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else str(value)
    return data


def test_an_oblast_body_made_a_municipal_administration_keeps_no_oblast_wide_competence(
    personas: Personas, client: Client
) -> None:
    p = personas
    luga = Municipality.objects.create(name="Лужский муниципальный район")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный район")
    group = TopicGroup.objects.create(name="Погребение и похоронное дело")
    topic = Topic.objects.create(group=group, name="Содержание кладбищ")
    administration = Body.objects.create(
        name="Администрация Лужского муниципального района"
    )  # level left oblast

    client.force_login(p.curator)
    added = client.post("/directory/competences/new/", {"topic": topic.pk, "body": administration.pk})
    assert added.status_code == 302
    assert Competence.objects.filter(body=administration, municipality__isnull=True).exists()

    client.force_login(p.admin)
    url = f"/admin/org/body/{administration.pk}/change/"
    data = _card(client.get(url))
    data.update(level=Body.Level.MUNICIPAL, municipality=str(luga.pk))
    saved = client.post(url, data)

    administration.refresh_from_db()
    # refused in words on the card, naming the matrix row to correct first
    assert saved.status_code == 200 and administration.level == Body.Level.OBLAST
    (error,) = _errors(saved)
    assert "указана по всей области по теме «Содержание кладбищ»" in error and "«Компетенциях»" in error

    # with the row brought in line, the same save is accepted
    Competence.objects.filter(body=administration).update(municipality=luga)
    assert client.post(url, data).status_code == 302
    administration.refresh_from_db()
    assert administration.level == Body.Level.MUNICIPAL and administration.municipality == luga
    offered = [s.body_id for s in route([("Содержание кладбищ", 0.9)], gatchina.pk)]
    assert administration.pk not in offered, "a Gatchina message is offered to the Luga administration"

    # and the administration cannot then be moved to another formation while its row stays in Luga
    data = _card(client.get(url))
    data.update(municipality=str(gatchina.pk))
    moved = client.post(url, data)
    assert moved.status_code == 200 and "указана в «Лужский муниципальный район»" in _errors(moved)[0]
