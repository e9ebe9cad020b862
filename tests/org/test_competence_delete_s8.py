"""Review of the competence page (R-8.1): the narrowing a curator set is kept when she deletes a row from it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Body, Competence, Municipality, Topic, TopicGroup
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

LIST = "/directory/competences/"


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-competence="(\d+)">', html)]


def delete_form(html: str, pk: int) -> tuple[str, dict[str, str]]:
    """The «удалить» form of row `pk` as the page has it: where it posts and its hidden fields."""
    found = re.search(
        rf'<tr data-competence="{pk}">.*?<form method="post" action="([^"]+)"(.*?)</form>', html, re.S
    )
    assert found, f"no delete form for competence {pk}"
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found[2]))
    return found[1], {k: v.replace("&amp;", "&") for k, v in fields.items()}


def test_r8_1_deleting_a_row_of_a_narrowed_list_comes_back_to_the_same_narrowing(
    personas: Personas, client: Client
) -> None:
    """R-8.1: the curator narrows the matrix of 150 roads rows and 3 rows of the Gatchina administration to that
    administration and deletes one of its rows. She is back on the narrowed list with the other two rows, not on
    the first page of the whole matrix (where she would have to set the narrowing again for every row)."""
    roads = TopicGroup.objects.create(name="Дороги")
    for n in range(150):
        Competence.objects.create(
            topic=Topic.objects.create(group=roads, name=f"Участок дороги {n:03d}"), body=personas.roads
        )
    green = TopicGroup.objects.create(name="Благоустройство")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный район")
    admin = Body.objects.create(
        name="Администрация Гатчинского района", level="municipal", municipality=gatchina
    )
    local = [
        Competence.objects.create(
            topic=Topic.objects.create(group=green, name=name), body=admin, municipality=gatchina
        ).pk
        for name in ("Уборка дворов", "Детские площадки", "Освещение улиц")
    ]
    client.force_login(personas.curator)
    narrowed = f"{LIST}?body={admin.pk}"
    page = client.get(narrowed).content.decode()
    assert sorted(shown(page)) == sorted(local)

    action, fields = delete_form(page, local[0])
    after = client.post(action, fields, HTTP_REFERER=f"http://testserver{narrowed}", follow=True)
    html = after.content.decode()
    assert "Компетенция удалена" in html
    assert sorted(shown(html)) == sorted(local[1:]), (after.redirect_chain, len(shown(html)))


def test_r8_1_deleting_the_last_row_of_a_narrowed_lists_last_page_shows_what_is_left_of_that_narrowing(
    personas: Personas, client: Client
) -> None:
    """R-8.1: the roads group holds 101 rows, so its second page holds one; the curator deletes it there. She is
    back on the roads group's list (its one page now), neither on the whole matrix nor on «Страница не найдена»
    for a page that no longer exists."""
    roads = TopicGroup.objects.create(name="Дороги")
    rows = [
        Competence.objects.create(
            topic=Topic.objects.create(group=roads, name=f"Участок дороги {n:03d}"), body=personas.roads
        ).pk
        for n in range(101)
    ]
    green = TopicGroup.objects.create(name="Благоустройство")
    Competence.objects.create(
        topic=Topic.objects.create(group=green, name="Уборка дворов"), body=personas.health
    )
    client.force_login(personas.curator)
    last_page = f"{LIST}?group={roads.pk}&page=2"
    page = client.get(last_page).content.decode()
    assert shown(page) == [rows[-1]]

    action, fields = delete_form(page, rows[-1])
    after = client.post(action, fields, HTTP_REFERER=f"http://testserver{last_page}", follow=True)
    assert after.status_code == 200, after.redirect_chain
    html = after.content.decode()
    assert "Компетенция удалена" in html
    assert sorted(shown(html)) == sorted(rows[:-1]), (after.redirect_chain, len(shown(html)))
