"""Review of the dictionary-forms search (ff32d27..): on SQLite the trigram table narrows the inbox's search only
when every form of a typed word shares a beginning of three characters (`web.search.Word.common`). pymorphy3
gives every qualitative adjective comparatives with «по-» («погорячее») and superlatives with «наи-»
(«наикрасивейший»), and a place name it does not know («Мурино», «Кудрово») is guessed as such an adjective:
the forms share no beginning, the search is not narrowed, and SQLite calls Python's regular expression for every
message of the year (about 9 s for 300,000 messages on the review machine, against 15 ms narrowed). The stem
search before ff32d27 narrowed these words («мурин»). The trigram table finds a piece anywhere in the text, so
what all the forms contain («мурин», «горяч») narrows as well as a shared beginning."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otklik.intake.models import Message
from otklik.web.search import messages_matching
from tests.cases.helpers import message
from tests.conftest import Personas
from tests.web.test_search import inbox_texts

pytestmark = pytest.mark.django_db


def narrowed(listing_sql: str) -> bool:
    """Whether SQLite reads the messages by the ids the trigram table gave (not every message of the table)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + listing_sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    return "SEARCH intake_message USING INTEGER PRIMARY KEY" in plan


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Мурино", "В Мурине третий день нет света"),  # a place name pymorphy3 does not know
        ("Кудрово", "Отопление в Кудрово еле тёплое"),
        ("горячая", "Нет горячей воды с понедельника"),  # an adjective: «погорячее» is one of its forms
        ("аварийный", "Аварийное дерево у школы"),
    ],
)
def test_r8_1_sqlite_search_for_an_adjective_or_an_unknown_place_is_narrowed_by_the_index(
    personas: Personas, typed: str, found: str
) -> None:
    """R-8.1: the inbox finds the message in its other form, and on SQLite reads only the messages the trigram
    table gives for the word, not every message of the year."""
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 trigram table is SQLite's")
    message(found)
    message("Яма на дороге в Гатчине")
    client = Client()
    client.force_login(personas.curator)
    with CaptureQueriesContext(connection) as queries:
        assert inbox_texts(client, typed) == [found]
    assert list(messages_matching(Message.objects.all(), typed).values_list("text", flat=True)) == [found]
    assert any("MATCH" in q["sql"] for q in queries), f"«{typed}»: the trigram table was not asked"
    listing = [q["sql"] for q in queries if "REGEXP" in q["sql"] and "LIMIT" in q["sql"]]
    assert listing and narrowed(listing[0]), f"«{typed}»: every message read with the regular expression"
