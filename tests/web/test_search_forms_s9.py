"""A typed word finds its other forms (R-8.1: the curator finds the messages on one problem to dispatch them
together). Russian changes a word's ending with its case and number: «фонарь» is «не горят фонари» and «нет
фонарей», «Гатчина» is «в Гатчине». The search boxes matched the typed text as a substring only and missed most
messages. Now each Russian word is also searched in every form the dictionary gives it, as a whole word
(`web.search.Word.forms`), besides the typed text anywhere. Both databases run these tests (`.ci/run`): the rows found are written out here, so SQLite
(narrowed by its FTS5 trigram table) and PostgreSQL (a regular expression over the messages) must find the same
ones."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.intake.models import Message
from otklik.org.models import Competence, Topic, TopicGroup
from otklik.web import search
from otklik.web.search import messages_matching, pattern
from tests.cases.helpers import message
from tests.conftest import Personas, msk
from tests.web.test_search import admin_client, inbox_texts

pytestmark = pytest.mark.django_db

TEXTS = (
    "На Чкалова не горят фонари третью неделю",
    "Нет фонарей у школы, дети идут в темноте",
    "Яма на дороге в Гатчине",
    "Гатчинский район: нет горячей воды",
    "Дороги не чистят с понедельника",
    "Шум от заводов по ночам",
    "Дорога до школы разбита",
    "Ямская улица без света",
    "Учёбу в школе перенесли",
    "Ёлки во дворе так и не убрали",
    "Детских площадок нет",
    "Ремонт дома 5 по улице Мира",
)


@pytest.fixture
def inbox(personas: Personas) -> Client:
    for text in TEXTS:
        message(text)
    client = Client()
    client.force_login(personas.curator)
    return client


# ------------------------------------------------------------------------------- the forms of a typed word


@pytest.mark.parametrize(
    ("typed", "also", "not_this"),
    [
        ("фонарь", "фонарей", "фонарик"),
        ("Фонари", "фонарь", "фонарщик"),
        ("Гатчина", "гатчине", "гатчинский"),  # a derived word is another word (typed «Гатчин» finds it)
        ("горячая", "горячей", "горячка"),
        ("вода", "воды", "заводов"),
        ("ёлка", "ёлок", "ёлочный"),
        ("площадка", "площадок", "площадь"),
        ("яма", "ям", "ямская"),  # a short word has its forms too
        ("горит", "горят", "город"),  # and a verb
        ("света", "свет", "светофор"),
        ("Кирова", "кирову", "кировск"),
    ],
)
def test_r8_1_a_typed_word_is_found_in_its_dictionary_forms_as_whole_words(
    typed: str, also: str, not_this: str
) -> None:
    """R-8.1: a typed Russian word is also found in the other forms pymorphy3's dictionary gives it, each as a
    whole word; a longer word that merely begins alike is not one of them."""
    assert re.search("(?i)" + pattern(typed), f"Вот ({also}) тут"), (typed, also)
    assert not re.search("(?i)" + pattern(typed), f"Вот ({not_this}) тут"), (typed, not_this)


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ('"фонари"', "фонари"),
        ("Чкалова,", "Чкалова"),
        ("(ямы)", "ямы"),
        ("«горит»?!", "горит"),
        ("ул.", "ул"),
        ("Р-21", "Р-21"),  # a hyphen inside a word stays
        ("?", "?"),  # punctuation alone is still looked for
    ],
)
def test_r8_1_punctuation_around_a_typed_word_is_no_part_of_it(typed: str, searched: str) -> None:
    """R-8.1: people type «Чкалова, фонари», «"фонари"», «(ямы)»: the punctuation around a word is not looked for."""
    assert [w.typed for w in search.words(typed)] == [searched]


def test_r8_1_a_number_is_a_whole_number() -> None:
    """R-8.1: «участок 1» does not find «участок 12», nor «Р-2» «Р-21»; «дом 5» finds «дом 5, кв. 7»."""
    assert not re.search("(?i)" + pattern("участок 1"), "участок 12")
    assert re.search("(?i)" + pattern("участок 1"), "участок 1, за школой")
    assert not re.search("(?i)" + pattern("Р-2"), "трасса Р-21")
    assert re.search("(?i)" + pattern("Р-2"), "трасса Р-2.")
    assert re.search("(?i)" + pattern("дом 5"), "дом 5, кв. 7")


@pytest.mark.parametrize("typed", ["фонарь", "Гатчина", "дорога", "вода", "улица", "площадка", "остановка"])
def test_r8_1_a_noun_finds_every_form_the_dictionary_gives_it(typed: str) -> None:
    """R-8.1: every case and number of these nouns in pymorphy3's dictionary, in a sentence, is found by the
    nominative as typed — «площадок» and «остановок» (genitive plural) too."""
    from otklik.analysis.text import morph

    forms = {f.word for f in morph().parse(typed.lower())[0].lexeme}
    assert len(forms) >= 6
    for form in forms:
        assert re.search("(?i)" + pattern(typed), f"Нет ({form}) тут"), (typed, form)


# --------------------------------------------------------------------------------------- the inbox


def test_r8_1_the_inbox_finds_other_forms_of_a_word(inbox: Client) -> None:
    """R-8.1: «фонарь» finds «не горят фонари» and «нет фонарей»; «Гатчина» finds «в Гатчине» («Гатчинский район» is
    found by «Гатчин»); «дорога» finds «дороги» and «на дороге»; «площадка» finds «площадок»; punctuation typed
    round the words is no matter."""
    assert sorted(inbox_texts(inbox, "фонарь")) == [
        "На Чкалова не горят фонари третью неделю",
        "Нет фонарей у школы, дети идут в темноте",
    ]
    assert inbox_texts(inbox, "Гатчина") == ["Яма на дороге в Гатчине"]
    assert sorted(inbox_texts(inbox, "Гатчин")) == [
        "Гатчинский район: нет горячей воды",
        "Яма на дороге в Гатчине",
    ]
    assert sorted(inbox_texts(inbox, '"фонари", Чкалова.')) == ["На Чкалова не горят фонари третью неделю"]
    assert inbox_texts(inbox, "фонарь не горит") == ["На Чкалова не горят фонари третью неделю"]
    assert sorted(inbox_texts(inbox, "дорога")) == [
        "Дорога до школы разбита",
        "Дороги не чистят с понедельника",
        "Яма на дороге в Гатчине",
    ]
    assert inbox_texts(inbox, "детская площадка") == ["Детских площадок нет"]


def test_r8_1_every_typed_word_finds_its_forms_in_any_order(inbox: Client) -> None:
    """R-8.1: «горячая вода» finds «нет горячей воды», and so do the words the other way round."""
    assert inbox_texts(inbox, "горячая вода") == ["Гатчинский район: нет горячей воды"]
    assert inbox_texts(inbox, "вода горячая") == ["Гатчинский район: нет горячей воды"]
    assert inbox_texts(inbox, "горячая вода Тосно") == []  # a word no message holds still finds nothing


def test_r8_1_a_word_with_yo_finds_its_forms_written_either_way(inbox: Client) -> None:
    """R-8.1: «учёба» finds «учёбу», «учеба» finds it too; «ёлка» and «елка» find «Ёлки»."""
    assert inbox_texts(inbox, "учёба") == ["Учёбу в школе перенесли"]
    assert inbox_texts(inbox, "учеба") == ["Учёбу в школе перенесли"]
    assert inbox_texts(inbox, "ёлка") == ["Ёлки во дворе так и не убрали"]
    assert inbox_texts(inbox, "елка") == ["Ёлки во дворе так и не убрали"]


def test_r8_1_forms_are_whole_words_and_the_typed_text_is_found_anywhere(
    inbox: Client,
) -> None:
    """R-8.1: nothing absurd: «вода» does not find «заводов»; «дом» finds «дома» but not «Дорога до школы»; «яма»
    finds «Яма», not «Ямская улица». The typed text itself is still found inside a word, as before: «вод» finds
    «заводов» and «воды»."""
    assert inbox_texts(inbox, "вода") == ["Гатчинский район: нет горячей воды"]
    assert inbox_texts(inbox, "дом") == ["Ремонт дома 5 по улице Мира"]
    assert inbox_texts(inbox, "яма") == ["Яма на дороге в Гатчине"]
    assert sorted(inbox_texts(inbox, "вод")) == [
        "Гатчинский район: нет горячей воды",
        "Шум от заводов по ночам",
    ]
    assert inbox_texts(inbox, "дома 5") == ["Ремонт дома 5 по улице Мира"]  # digits as typed
    assert inbox_texts(inbox, "дома 6") == []


# ---------------------------------------------------------------------- the case list and the competences


def test_r8_1_the_case_list_finds_other_forms_in_the_summary_and_the_messages(personas: Personas) -> None:
    """R-8.1: the case list's search box: «фонарь» finds the case whose summary says «фонари», «вода» the case
    whose message says «нет воды»."""
    p = personas
    lamps = actions.dispatch_case(
        p.curator,
        [message("Темно во дворе")],
        [actions.Route(p.roads, 1)],
        summary="Не горят фонари на Чкалова",
        now=msk(2025, 4, 28, 9, 0),
    )
    water = actions.dispatch_case(
        p.curator, [message("Третий день нет воды")], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 9, 5)
    )
    actions.dispatch_case(
        p.curator, [message("Шум от заводов")], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 9, 10)
    )
    client = Client()
    client.force_login(p.curator)

    def listed(q: str) -> set[int]:
        html = client.get(reverse("cases:list"), {"q": q}).content.decode()
        return {int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)}

    assert listed("фонарь") == {lamps.pk}
    assert listed("вода") == {water.pk}
    assert listed("фонарь Чкалов") == {lamps.pk}


def test_r8_1_the_competence_filter_finds_every_word_in_any_form(personas: Personas) -> None:
    """R-8.1: the competence page's «Тема содержит»: «вода горячая» finds the topic «Нет горячей воды» — every
    word, in any order and form, in the topic or its group."""
    utilities = TopicGroup.objects.create(name="ЖКХ")
    hot = Competence.objects.create(
        topic=Topic.objects.create(group=utilities, name="Нет горячей воды"), body=personas.health
    )
    Competence.objects.create(
        topic=Topic.objects.create(group=utilities, name="Нет холодной воды"), body=personas.health
    )
    client = Client()
    client.force_login(personas.curator)

    def shown(q: str) -> list[int]:
        html = client.get(reverse("competence_list"), {"q": q}).content.decode()
        return [int(pk) for pk in re.findall(r'<tr data-competence="(\d+)">', html)]

    assert shown("вода горячая") == [hot.pk]
    assert shown("горячая вода жкх") == [hot.pk]  # a word of the group
    assert shown("горячая вода газ") == []


def test_r8_1_the_admin_search_finds_other_forms(personas: Personas) -> None:
    """R-8.1: the admin's message search (`text__folded`) is the inbox's: «фонарь» finds «фонари»."""
    message("Не горят фонари")
    message("Всё хорошо")
    client = admin_client(personas.admin)
    page = client.get(reverse("admin:intake_message_changelist"), {"q": "фонарь"}).content.decode()
    assert "Не горят фонари" in page and "Всё хорошо" not in page


# ------------------------------------------------ SQLite's narrowing and PostgreSQL find the same rows

QUERIES = {
    "фонарь": {0, 1},
    "ФОНАРЕЙ": {0, 1},
    "Гатчина": {2},
    "Гатчин": {2, 3},
    '"фонари,"': {0, 1},
    "горячая вода": {3},
    "дорога": {2, 4, 6},
    "школа": {1, 6, 8},
    "вод": {3, 5},
    "вода": {3},
    "ёлка": {9},
    "детская площадка": {10},
    "дом": {11},
    "дома 5": {11},
    "яма": {2},
    "ул": {7, 11},
    "горят фонари": {0},
    "фонари горят": {0},
}


@pytest.mark.parametrize("narrow_at", [2000, 0])
def test_r8_1_both_databases_and_the_narrowing_find_the_same_messages(
    inbox: Client, monkeypatch: pytest.MonkeyPatch, narrow_at: int
) -> None:
    """R-8.1: for each query the messages found are the ones written here — on SQLite with the trigram table's
    narrowing (by the same stems) and without it (`NARROW_AT` 0), on PostgreSQL with its own regular
    expressions — and they are the ones Python's `re` finds with the same expression."""
    monkeypatch.setattr(search, "NARROW_AT", narrow_at)
    ids = {m.text: m.pk for m in Message.objects.all()}
    number = {ids[text]: n for n, text in enumerate(TEXTS)}
    every = list(Message.objects.all())
    for typed, expected in QUERIES.items():
        found = {number[m.pk] for m in messages_matching(Message.objects.all(), typed)}
        assert found == expected, (typed, connection.vendor)
        in_python = {
            number[m.pk]
            for m in every
            if all(
                re.search("(?i)" + pattern(word), m.text) or re.search("(?i)" + pattern(word), m.author_name)
                for word in [w.typed for w in search.words(typed)]
            )
        }
        assert in_python == expected, typed


def test_r8_1_sqlite_narrows_by_what_every_form_begins_with() -> None:
    """R-8.1: SQLite's trigram table is asked for what every form of each word begins with, so it never leaves out
    a message the regular expression takes («фонари» for «фонарь»); shorter than three letters asks nothing
    («ёлка»: «ёлок»)."""
    assert search.fts_query("фонарь Гатчина") == '"фонар" AND "гатчин"'
    assert search.fts_query("ёлка") is None
    assert search.fts_query("в на") is None
    assert search.fts_query('"фонари"') == '"фонар"'


PASTED = (
    "Уважаемые коллеги, прошу разобраться: во дворе дома на улице Чкалова третью неделю не горят фонари, дети "
    "ходят в школу в темноте, ямы на дороге не ремонтируют, снег не убирают — просим принять меры!"
)


def test_r8_1_a_phrase_is_found_across_the_punctuation_between_its_words() -> None:
    """R-8.1: a phrase (the admin's quoted search, `text__folded`) is found whatever punctuation stands between its
    words in the text, and a pasted paragraph finds itself — on both databases (the SQL is each one's own)."""
    found = message(PASTED)
    message("Коллеги прошу")  # two of the words, without the rest
    assert list(Message.objects.filter(text__folded=PASTED)) == [found]
    assert list(Message.objects.filter(text__folded="разобраться во дворе")) == [found]
    assert list(Message.objects.filter(text__folded='"фонари дети ходят"')) == [found]
    assert Message.objects.filter(text__folded="коллеги прошу").count() == 2


def test_r8_1_the_inbox_finds_a_message_by_the_number_its_row_shows(inbox: Client) -> None:
    """R-8.1: every inbox row shows the message's number («№ 210»); typed into the search box («210», «№ 210») it
    finds that message — and, as before, messages whose text holds that number («дома 5»)."""
    house = Message.objects.get(text="Ремонт дома 5 по улице Мира")
    lamps = Message.objects.get(text="На Чкалова не горят фонари третью неделю")
    assert inbox_texts(inbox, str(lamps.pk)) in ([lamps.text], sorted([lamps.text, house.text]))
    assert lamps.text in inbox_texts(inbox, f"№ {lamps.pk}")
    assert house.text in inbox_texts(inbox, "5")  # the number in a text is still found
    assert inbox_texts(inbox, "999999") == []
