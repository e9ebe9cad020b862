"""The competence page (R-8.1): the matrix of who answers which topic where, a page at a time, narrowed by body,
topic group, territory and words of the topic, the narrowing kept on every page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Body, Competence, Municipality, Topic, TopicGroup
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-competence="(\d+)">', html)]


@pytest.fixture
def matrix(personas: Personas) -> dict[str, object]:
    """150 roads topics of the roads committee over the whole oblast, an «Ёлки» topic of health and one topic of
    the Gatchina administration in its own district."""
    roads = TopicGroup.objects.create(name="Дороги")
    for n in range(150):
        Competence.objects.create(
            topic=Topic.objects.create(group=roads, name=f"Участок дороги {n:03d}"), body=personas.roads
        )
    green = TopicGroup.objects.create(name="Благоустройство")
    fir = Competence.objects.create(
        topic=Topic.objects.create(group=green, name="Новогодние ёлки во дворах"), body=personas.health
    )
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный район")
    admin = Body.objects.create(
        name="Администрация Гатчинского района", level="municipal", municipality=gatchina
    )
    local = Competence.objects.create(
        topic=Topic.objects.create(group=green, name="Уборка дворов"), body=admin, municipality=gatchina
    )
    return {"roads": roads, "green": green, "fir": fir, "gatchina": gatchina, "admin": admin, "local": local}


def test_r8_1_the_matrix_comes_a_page_of_100_at_a_time(
    matrix: dict[str, object], personas: Personas, client: Client
) -> None:
    client.force_login(personas.curator)
    first = client.get("/directory/competences/").content.decode()
    assert len(shown(first)) == 100
    assert 'data-testid="competence-count">Найдено: 152' in first
    assert "страница 1 из 2" in first and '<a href="?page=2">вперёд →</a>' in first
    second = client.get("/directory/competences/?page=2").content.decode()
    assert len(shown(second)) == 52 and not set(shown(first)) & set(shown(second))


def test_r8_1_the_matrix_narrows_by_body_group_territory_and_words(
    matrix: dict[str, object], personas: Personas, client: Client
) -> None:
    client.force_login(personas.health_head)
    fir, local = matrix["fir"], matrix["local"]
    whole = client.get("/directory/competences/").content.decode()
    select = whole[
        whole.index('<select name="body">') : whole.index("</select>", whole.index('<select name="body">'))
    ]
    names = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert names == sorted(names) and len(names) == 3, names  # as shown, in alphabetical order
    by_body = client.get("/directory/competences/", {"body": personas.health.pk}).content.decode()
    assert shown(by_body) == [fir.pk]  # type: ignore[attr-defined]
    green = matrix["green"].pk  # type: ignore[attr-defined]
    by_group = client.get("/directory/competences/", {"group": green}).content.decode()
    assert sorted(shown(by_group)) == sorted([fir.pk, local.pk])  # type: ignore[attr-defined]
    district = matrix["gatchina"].pk  # type: ignore[attr-defined]
    assert shown(client.get("/directory/competences/", {"territory": district}).content.decode()) == [
        local.pk
    ]  # type: ignore[attr-defined]
    oblast = client.get("/directory/competences/", {"territory": "oblast", "group": green}).content.decode()
    assert shown(oblast) == [fir.pk]  # type: ignore[attr-defined]
    # words as people type them: any case, «е» for «ё»
    words = client.get("/directory/competences/", {"q": "ЕЛКИ"}).content.decode()
    assert shown(words) == [fir.pk]  # type: ignore[attr-defined]
    assert 'name="q" value="ЕЛКИ"' in words  # the words stay in the box
    nothing = client.get("/directory/competences/", {"q": "снег"}).content.decode()
    assert shown(nothing) == [] and "По этому отбору компетенций нет." in nothing


def test_r8_1_the_narrowing_is_kept_on_the_next_page_and_garbled_values_are_no_filter(
    matrix: dict[str, object], personas: Personas, client: Client
) -> None:
    client.force_login(personas.observer)
    roads = matrix["roads"].pk  # type: ignore[attr-defined]
    first = client.get("/directory/competences/", {"group": roads}).content.decode()
    assert f'<a href="?group={roads}&amp;page=2">вперёд →</a>' in first
    second = client.get("/directory/competences/", {"group": roads, "page": 2}).content.decode()
    assert len(shown(second)) == 50 and "страница 2 из 2" in second
    for garbled in ({"body": "abc"}, {"group": "²"}, {"territory": "-1"}, {"q": "\x00"}):
        page = client.get("/directory/competences/", garbled)
        assert page.status_code == 200, garbled
        assert "Найдено: 152" in page.content.decode(), garbled


@pytest.mark.parametrize(
    "url", ["/directory/people/", "/directory/absences/", "/audit/", "/directory/competences/"]
)
def test_a_directory_page_no_longer_there_shows_the_nearest_one(
    url: str, personas: Personas, client: Client
) -> None:
    """An old link to page 9 of a list that now has one page, or a garbled page number, shows a page of the list
    (the last or the first), not «Страница не найдена»."""
    client.force_login(personas.admin)
    for page in ("9", "abc", "0"):
        response = client.get(url, {"page": page})
        assert response.status_code == 200, (url, page)
