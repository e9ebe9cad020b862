"""R-8.10: the same author writing again about the same problem at the same place in other words is offered to
the curator as a repeat of the earlier case («Повтор обращения №» filled in on the dispatch form), so the answer
must say what was done. Two ways now find it: the street finder reads an address written without «улица» («Луга,
Ленина 5» → «улица Ленина», house 5; `analysis.streets`), so the same topic on the same street of the same place
is found (`same_issue`); and the same author's earlier case of one of the likely topics in the place the new text
names is found whatever the wording (`same_author_issue`), unless both texts name different streets. Another
author, another town or another street of the same author is not offered.

Found by a review (session 18)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import annotate_message
from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.analysis.streets import find_streets
from otklik.cases.models import Case
from otklik.intake.models import Message
from otklik.org.loaders import load_directory
from otklik.org.models import Municipality, Topic
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

EARLIER = "Когда отремонтируют крышу в доме 5 по улице Ленина в Луге? Течёт прямо в квартиру на пятом этаже."
AGAIN = "Луга, Ленина 5: крыша так и течёт, писала месяц назад, никто не пришёл."


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    reset_gazetteer()
    reset_repeat_index()


def _vk(n: int, text: str) -> Message:
    return Message.objects.create(
        network="vk",
        external_id=f"-1_9_{n}",
        url=f"https://vk.com/wall-1_9?reply={n}",
        author_id="5501",
        author_name="Анна Кузнецова",
        text=text,
    )


def test_r8_10_the_same_authors_new_complaint_about_the_same_roof_is_offered_as_a_repeat(
    client: Client, personas: Personas
) -> None:
    load_directory()
    reset_gazetteer()
    client.force_login(personas.curator)
    first = _vk(1, EARLIER)
    annotate_message(first)
    topic = Topic.objects.get(name="★ Протечки с кровли (системы водостока)")
    luga = Municipality.objects.get(name="Лужский муниципальный район")
    response = client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": luga.pk},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    earlier = Case.objects.get()

    again = _vk(2, AGAIN)
    annotate_message(again)
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert f'name="repeat_of" inputmode="numeric" placeholder="нет" value="{earlier.pk}"' in form, (
        "the same author's complaint about the same roof in Луга is not offered as a repeat"
    )


def _dispatch_earlier(client: Client, personas: Personas) -> Case:
    load_directory()
    reset_gazetteer()
    client.force_login(personas.curator)
    first = _vk(1, EARLIER)
    annotate_message(first)
    topic = Topic.objects.get(name="★ Протечки с кровли (системы водостока)")
    luga = Municipality.objects.get(name="Лужский муниципальный район")
    response = client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": luga.pk},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return Case.objects.get()


def _offered(client: Client, message: Message) -> str:
    form = client.get(reverse("cases:dispatch", args=[message.pk])).content.decode()
    start = form.index('name="repeat_of"')
    return form[start : form.index(">", start)]


def test_r8_10_the_same_authors_complaint_naming_no_street_is_offered_as_a_repeat(
    client: Client, personas: Personas
) -> None:
    earlier = _dispatch_earlier(client, personas)
    again = _vk(2, "Луга: крыша опять течёт, писала месяц назад, никто не пришёл.")
    annotate_message(again)
    assert f'value="{earlier.pk}"' in _offered(client, again)


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("Луга: крыша опять течёт, писала месяц назад, никто не пришёл.", "7702"),  # another author
        ("Кингисепп: крыша опять течёт, писала месяц назад, никто не пришёл.", "5501"),  # another town
        ("Луга, Кирова 12: крыша опять течёт, никто не пришёл.", "5501"),  # another street
    ],
    ids=["another-author", "another-town", "another-street"],
)
def test_r8_10_another_author_town_or_street_is_not_offered_as_a_repeat(
    client: Client, personas: Personas, text: str, author: str
) -> None:
    earlier = _dispatch_earlier(client, personas)
    again = _vk(2, text)
    again.author_id = author
    again.save(update_fields=["author_id"])
    annotate_message(again)
    assert f'value="{earlier.pk}"' not in _offered(client, again)


@pytest.mark.parametrize(
    ("text", "street", "house"),
    [
        ("Луга, Ленина 5: крыша так и течёт", "улица Ленина", "5"),
        ("Живу на Гагарина 12к1, нет света", "улица Гагарина", "12к1"),
        ("Адрес: Садовая 14, подъезд 2", "Садовая улица", "14"),
        ("На Советской 5 яма во дворе", "Советская улица", "5"),
    ],
)
def test_r8_1_an_address_written_without_the_street_word_is_read(text: str, street: str, house: str) -> None:
    assert [(m.street, m.house) for m in find_streets(text)][:1] == [(street, house)]


@pytest.mark.parametrize(
    "text",
    [
        "Иванова 5 лет не может добиться ответа",
        "Пушкина 10 декабря отключили воду",
        "Парадная 3, разбито окно",
        "Гатчина 2023, опять ямы",
        "Уважаемая Ирина Олеговна, 5 лет жду",
        "Школа 3 закрыта на карантин",
    ],
)
def test_r8_1_a_name_and_a_number_that_are_no_address_are_no_street(text: str) -> None:
    assert find_streets(text) == []
