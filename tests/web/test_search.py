"""Search as a curator types it (R-8.1: the curator finds the messages on one problem to dispatch them together).

On the embedded default (SQLite) Django's `icontains` folded the case of Latin letters only, so «гатчина» did not
find «Гатчина» — in a Russian inbox nearly every search. Both databases run these tests (`.ci/run`)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from otklik.intake import search_index
from otklik.intake.models import Message
from otklik.org.models import Person
from otklik.web import search
from otklik.web.search import messages_matching, pattern
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def inbox_texts(client: Client, q: str) -> list[str]:
    """The texts of the inbox's rows as a curator reads them (the text cell, before its badges and links)."""
    response = client.get(reverse("cases:inbox"), {"q": q})
    assert response.status_code == 200
    rows = re.findall(r'<tr data-message="\d+">(.*?)</tr>', response.content.decode(), re.S)
    texts = []
    for row in rows:
        text = re.search(r'<td class="wide" data-testid="text">(.*?)</td>', row, re.S)
        assert text, row
        texts.append(text[1].split("<", 1)[0].strip())
    return texts


def admin_client(person: Person) -> Client:
    """A client signed in to the Django admin as ``person`` made a superuser (the admin's search pages)."""
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def inbox(personas: Personas) -> Client:
    message("Яма на дороге в ГАТЧИНЕ, колесо пробито")
    message("Ёлку на площади так и не убрали")
    message("В Гатчине\n\nсвет отключили третий день")
    message("Новогодняя елка у школы упала")
    message("Тариф 50 рублей за вывоз мусора")
    message("Подъезд (кв. 5) не убирают")
    message("Отопление в Кудрово еле тёплое")
    client = Client()
    client.force_login(personas.curator)
    return client


def test_case_does_not_matter_for_cyrillic(inbox: Client) -> None:
    assert sorted(inbox_texts(inbox, "гатчине")) == [
        "В Гатчине\n\nсвет отключили третий день",
        "Яма на дороге в ГАТЧИНЕ, колесо пробито",
    ]
    assert sorted(inbox_texts(inbox, "ГАТЧИНЕ")) == sorted(inbox_texts(inbox, "гатчине"))
    assert inbox_texts(inbox, "кудрово") == ["Отопление в Кудрово еле тёплое"]


def test_e_and_yo_are_one_letter_both_ways(inbox: Client) -> None:
    both = ["Ёлку на площади так и не убрали", "Новогодняя елка у школы упала"]
    assert sorted(inbox_texts(inbox, "елк")) == both
    assert sorted(inbox_texts(inbox, "ёлк")) == both
    assert inbox_texts(inbox, "теплое") == ["Отопление в Кудрово еле тёплое"]


def test_words_split_by_a_line_break_or_double_space_are_found(inbox: Client) -> None:
    assert inbox_texts(inbox, "гатчине   свет") == ["В Гатчине\n\nсвет отключили третий день"]


def test_punctuation_is_literal_not_a_pattern(inbox: Client) -> None:
    assert inbox_texts(inbox, "(кв. 5)") == ["Подъезд (кв. 5) не убирают"]
    assert inbox_texts(inbox, "50%") == []  # «%» is no wildcard: «50 рублей» is not «50%»
    assert inbox_texts(inbox, "кв_ 5") == []
    assert inbox_texts(inbox, "кв.*5") == []
    # an unbalanced bracket is no error: punctuation around a word is no part of it (`web.search.words`)
    assert inbox_texts(inbox, "[кв") == ["Подъезд (кв. 5) не убирают"]
    assert inbox_texts(inbox, "[кв]]") == ["Подъезд (кв. 5) не убирают"]


def test_the_author_is_searched_too_and_no_result_says_so(personas: Personas) -> None:
    Message.objects.create(
        network="vk",
        external_id="wall-1_900",
        url="https://vk.com/wall-1_900",
        author_name="Пётр Семёнов",
        text="Когда починят фонарь?",
    )
    message("Другой вопрос")
    client = Client()
    client.force_login(personas.curator)
    assert inbox_texts(client, "петр семенов") == ["Когда починят фонарь?"]
    page = client.get(reverse("cases:inbox"), {"q": "снегоуборщик"}).content.decode()
    assert "Ничего не найдено по запросу «снегоуборщик»" in page
    assert "Новых сообщений нет" not in page


def test_the_admin_searches_the_same_way(personas: Personas) -> None:
    pothole = message("Яма на дороге в ГАТЧИНЕ")
    message("Всё хорошо")
    client = admin_client(personas.admin)
    page = client.get(reverse("admin:intake_message_changelist"), {"q": "гатчине"}).content.decode()
    assert "Яма на дороге в ГАТЧИНЕ" in page and "Всё хорошо" not in page
    number, _ = pothole.external_id.rsplit("_", 1)  # a part of the network's id: every message of that post
    by_id = client.get(
        reverse("admin:intake_message_changelist"), {"q": pothole.external_id}
    ).content.decode()
    assert "Яма на дороге в ГАТЧИНЕ" in by_id and "Всё хорошо" not in by_id
    assert (
        "Всё хорошо" in client.get(reverse("admin:intake_message_changelist"), {"q": number}).content.decode()
    )
    people = client.get(reverse("admin:org_person_changelist"), {"q": "яковлева"}).content.decode()
    assert "health_head" in people and "alice" not in people


@pytest.mark.parametrize(
    ("typed", "text", "found"),
    [
        ("гатчина", "ГАТЧИНА", True),
        ("ёж", "ЕЖ", True),
        ("ЕЖ", "ёж", True),
        ("a.b", "axb", False),
        ("a+b", "a+b", True),
        ("\\d", "5", False),
        ("\\d", "\\d", True),
        ("«ёлка»", "купили «Елка»", True),
        ("x|y", "y", False),
        ("$5^", "$5^", True),
    ],
)
def test_the_pattern_means_the_same_in_python_and_in_the_database(typed: str, text: str, found: bool) -> None:
    assert bool(re.search("(?i)" + pattern(typed), text)) is found
    m = message(text)
    assert Message.objects.filter(pk=m.pk, text__folded=typed).exists() is found


def test_postgresql_runs_the_search_without_jit_compilation(personas: Personas) -> None:
    """PostgreSQL in production (ARCHITECTURE): the inbox's search reads the messages with a regular expression;
    JIT compilation, which its sub-selects' estimated cost would switch on, took longer than the search itself
    (docs/benchmarks.md § Staff pages), so the search's transaction turns it off — and only that transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's; SQLite has the FTS5 table (the tests below)")
    message("Яма на дороге в Гатчине")
    client = Client()
    client.force_login(personas.curator)
    with CaptureQueriesContext(connection) as queries:
        assert inbox_texts(client, "гатчине") == ["Яма на дороге в Гатчине"]
    sql = [q["sql"] for q in queries]
    switched = sql.index("SET LOCAL jit = off")
    assert any("~*" in q for q in sql[switched:])
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        default = cursor.fetchone()[0]
        with search.without_jit():
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == default


def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip(
            "the FTS5 trigram table is SQLite's; PostgreSQL reads the messages with JIT off (the test above)"
        )


QUERIES = [
    "гатчине",
    "ГАТЧИНЕ свет",
    "елк",
    "ёлку на",
    "(кв. 5)",
    "ям",
    "кв 5",
    'ул "Мира',
    "петрова",
    "зzz",
    "50%",
]


@pytest.mark.parametrize("narrow_at", [2000, 0])
def test_sqlite_the_index_narrows_the_search_and_finds_exactly_what_the_expression_finds(
    inbox: Client, monkeypatch: pytest.MonkeyPatch, narrow_at: int
) -> None:
    """The trigram table only narrows: for every query — words shorter than three characters, quotes, brackets,
    the author's name — the inbox finds the same messages with it as the regular expression alone, also when
    the words are too common to narrow by (`NARROW_AT`, here 0 to make every word so)."""
    sqlite_only()
    monkeypatch.setattr(search, "NARROW_AT", narrow_at)
    all_messages = Message.objects.all()
    for typed in QUERIES:
        alone = set(all_messages.filter(search.all_words(typed, "text", "author_name")))
        assert set(messages_matching(all_messages, typed)) == alone, typed
    with CaptureQueriesContext(connection) as queries:
        assert inbox_texts(inbox, "гатчине свет") == ["В Гатчине\n\nсвет отключили третий день"]
    assert any("MATCH" in q["sql"] for q in queries)
    listing = [q["sql"] for q in queries if "REGEXP" in q["sql"] and "LIMIT" in q["sql"]]
    assert listing
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + listing[0])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    narrowed = "SEARCH intake_message USING INTEGER PRIMARY KEY" in plan
    assert narrowed is (narrow_at > 0), plan


def test_sqlite_the_index_follows_edits_and_deletions(personas: Personas) -> None:
    """A message edited in the network is found by its new words and no longer by the old ones; a deleted row
    leaves the index (the triggers of migration intake 0011)."""
    sqlite_only()
    m = message("Во дворе яма")
    assert list(messages_matching(Message.objects.all(), "яма во дворе")) == [m]  # the words in any order
    assert list(messages_matching(Message.objects.all(), "яма у школы")) == []
    assert list(messages_matching(Message.objects.all(), "дворе яма")) == [m]
    Message.objects.filter(pk=m.pk).update(text="Во дворе открытый люк", author_name="Семён Ёлкин")
    assert list(messages_matching(Message.objects.all(), "дворе яма")) == []
    assert list(messages_matching(Message.objects.all(), "открытый люк")) == [m]
    assert list(messages_matching(Message.objects.all(), "елкин")) == [m]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM intake_message_search WHERE intake_message_search MATCH %s", ['"открытый"']
        )
        assert cursor.fetchall() == [(m.pk,)]
        Message.objects.filter(pk=m.pk).delete()
        cursor.execute(
            "SELECT rowid FROM intake_message_search WHERE intake_message_search MATCH %s", ['"открытый"']
        )
        assert cursor.fetchall() == []


def test_sqlite_a_table_rebuilt_by_a_migration_loses_no_search(personas: Personas) -> None:
    """Django rebuilds SQLite's messages table for most field changes, and the search index's triggers go with it:
    until `migrate` puts them back (`intake.search_index.ensure`, run after every migrate) the search reads the
    messages, so a message stored meanwhile is still found; after it, the index holds it too."""
    sqlite_only()
    before = message("Во дворе открытый люк")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER intake_message_search_ai")  # what a rebuilt table leaves behind
    meanwhile = message("Открытый люк у школы")
    assert not search_index.in_service(connection)
    assert set(messages_matching(Message.objects.all(), "открытый люк")) == {before, meanwhile}
    assert search_index.ensure(connection) is True
    assert search_index.in_service(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM intake_message_search WHERE intake_message_search MATCH %s", ['"люк"']
        )
        assert {row[0] for row in cursor.fetchall()} == {before.pk, meanwhile.pk}
    assert set(messages_matching(Message.objects.all(), "открытый люк")) == {before, meanwhile}
    assert search_index.ensure(connection) is False  # nothing left to repair


def test_r8_1_the_typed_words_are_found_in_any_order(inbox: Client) -> None:
    """R-8.1: «фонари Чкалова» finds «На Чкалова не горят фонари»: every typed word, wherever it stands; a word
    the message lacks finds nothing."""
    message("На Чкалова не горят фонари третью неделю")
    assert inbox_texts(inbox, "фонари Чкалова") == ["На Чкалова не горят фонари третью неделю"]
    assert inbox_texts(inbox, "фонари Ленина") == []
