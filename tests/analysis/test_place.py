"""Place of a message in Leningrad Oblast from inflected names, and from the source's territory."""

from __future__ import annotations

import pytest

from otklik.analysis.place import extract_place, find_places
from otklik.org.models import Municipality, Settlement


@pytest.mark.parametrize(
    ("text", "settlement", "municipality"),
    [
        ("В Гатчине третий день нет горячей воды", "Гатчина", "Гатчинский муниципальный район"),
        ("Автобус из Всеволожска не пришёл", "Всеволожск", "Всеволожский муниципальный район"),
        ("в Кудрово опять пробка", "Кудрово", "Всеволожский муниципальный район"),
        ("Мурино: дети ходят в школу по обочине", "Мурино", "Всеволожский муниципальный район"),
        ("Под Выборгом размыло дорогу", "Выборг", "Выборгский муниципальный район"),
        ("Жители Соснового Бора жалуются на свалку", "Сосновый Бор", "Сосновоборский городской округ"),
        ("Пикалево без света", "Пикалёво", "Бокситогорский муниципальный район"),
        ("в янино нет освещения", "Янино-1", "Всеволожский муниципальный район"),
        ("Что с больницей в Луге?", "Луга", "Лужский муниципальный район"),
    ],
)
def test_settlement_and_municipality_found_in_inflected_forms(
    directory: None, text: str, settlement: str, municipality: str
) -> None:
    place = extract_place(text)
    assert place.settlement == settlement
    assert place.municipality == municipality
    assert place.source == "text"


def test_district_named_without_settlement(directory: None) -> None:
    place = extract_place("Во Всеволожском районе не чистят дороги")
    assert place.municipality == "Всеволожский муниципальный район"
    assert place.settlement == ""


def test_common_words_are_not_taken_for_places(directory: None) -> None:
    assert find_places("заливные луга у реки и сосновый бор за домом") == []


def test_source_territory_is_used_when_the_text_names_no_place(directory: None) -> None:
    tosno = Municipality.objects.get(name="Тосненский муниципальный район")
    place = extract_place("Когда починят фонари у школы?", source_municipality=tosno)
    assert (place.municipality_id, place.source) == (tosno.pk, "source")
    assert extract_place("Когда починят фонари у школы?").source == "none"


def test_a_settlement_added_to_the_directory_is_found_at_once(directory: None) -> None:
    luga = Municipality.objects.get(name="Лужский муниципальный район")
    assert extract_place("В Толмачёве нет воды").settlement == ""
    Settlement.objects.create(
        municipality=luga,
        name="Толмачёво",
        kind="посёлок",
        name_forms=["толмачёво", "толмачёва", "толмачёве"],
    )
    assert extract_place("В Толмачёве нет воды").settlement == "Толмачёво"


def test_the_problems_place_before_the_writers_home_deep_in_a_long_text(directory: None) -> None:
    """R-8.1: «живу в Гатчине, но яма в Луге» is about Луга — also when the words come after a long text (a blog
    post read from a feed): only the words right before a place decide whether it is the writer's home."""
    filler = "Дорогая редакция, пишем уже не первый раз про наши дороги и дворы. " * 2000
    result = extract_place(filler + "Живу в Гатчине, но яма на дороге в Луге уже месяц.")
    assert result.settlement == "Луга"
    home_only = extract_place(filler + "Я из Гатчины.")
    assert home_only.settlement == "Гатчина"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Когда поднимут зарплаты учителям по всей области?", "по всей области"),
        ("В Ленобласти не хватает врачей", "Ленобласти"),
        ("Жителям Ленинградской области обещали компенсацию за отопление", "Ленинградской области"),
        ("Пенсионерам по области не платят надбавку", "по области"),
        ("Губернатор Ленинградской области, помогите! Нет воды третий день", ""),  # a title, not a place
        ("Правительство Ленобласти молчит", ""),
        ("В области медицины всё плохо", ""),
    ],
)
def test_r8_1_a_text_about_the_oblast_as_a_whole_is_placed_so(directory: None, text: str, words: str) -> None:
    """R-8.1: a message that names no place in the oblast but speaks of the whole oblast is suggested «Ленинградская
    область в целом» (source «oblast»); the oblast named as someone's title is no place; a place named wins."""
    place = extract_place(text)
    assert (place.source, place.as_dict().get("oblast_words", "")) == (
        ("oblast", words) if words else ("none", "")
    )
    gatchina = extract_place("В Гатчине Ленинградской области нет света")
    assert (gatchina.source, gatchina.settlement) == ("text", "Гатчина")
