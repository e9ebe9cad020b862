"""Found by a review (session 23). R-8.1: the inbox's search finds a typed Russian word in its other forms (`web.search`: «Гатчина» finds «в
Гатчине»), but not a hyphenated one: «Усть-Луга» does not find «в Усть-Луге».

Scenario: messages arrive in the curator's inbox — «Когда в Усть-Луге починят дорогу к порту?», «Из Усть-Луги не
ходит автобус № 5», «Под Усть-Лугой горит лес» — and, for comparison, «Яма на дороге в Гатчине». The curator looks
for everything about Усть-Луга to send it together (R-8.1) and types the place's name, «Усть-Луга», into «Текст
или автор содержит» (its hint: «в любой форме слова»).

Now: «Ничего не найдено по запросу «Усть-Луга»» — not one of the three messages. `web.search._forms` gives forms
only to a word of letters alone (`_RUSSIAN_WORD`, «[а-яё]+»), so a hyphenated word is looked for as typed, and the
nominative «усть-луга» is in none of «усть-луге», «усть-луги», «усть-лугой»; pymorphy3's dictionary has the word
and all these forms. «Гатчина» finds «в Гатчине» in the same inbox.
Expected: «Усть-Луга» finds all three messages about Усть-Луга (a Leningrad oblast settlement, as are many
hyphenated place names people write in their forms)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.helpers import message
from tests.conftest import Personas
from tests.web.test_search import inbox_texts

pytestmark = pytest.mark.django_db

UST_LUGA = (
    "Когда в Усть-Луге починят дорогу к порту?",
    "Из Усть-Луги не ходит автобус № 5",
    "Под Усть-Лугой горит лес",
)


def test_inbox_search_finds_a_hyphenated_place_in_its_other_forms(client: Client, personas: Personas) -> None:
    for text in (*UST_LUGA, "Яма на дороге в Гатчине"):
        message(text)
    client.force_login(personas.curator)
    assert inbox_texts(client, "Гатчина") == ["Яма на дороге в Гатчине"]  # a plain word: found in its form
    assert sorted(inbox_texts(client, "Усть-Луга")) == sorted(UST_LUGA)
