"""Found by a review (session 25), fixed since. R-8.1 (case list «Обращения», search box «Номер или слова»): the curator types two words of one case — one from
the summary and one from a message, or one from each of the two messages combined into the case — and the list
says nothing is found, though the case's page shows both words.

The list promises to find a case by «words of the case's summary and messages», but every typed word must be in
one and the same place: `cases.views.case_list` (src/otklik/cases/views.py) filters by
``search.all_words(q, "summary") | Q(pk__in=<cases of a message holding every word>)`` — all words in the summary,
or all words in a single message (`web.search.messages_matching`). A case whose summary says «Не горят фонари»
and whose message gives the address «Чкалова, 12» is not found by «фонари Чкалова»; a case combining «Яма на
Ленина» with a neighbour's «колесо пробил» (R-8.1: messages on one problem sent together) is not found by «Ленина
колесо»."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from tests.cases.helpers import message
from tests.cases.test_lists_s7 import listed, page
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r8_1_words_from_the_summary_and_a_message_find_the_case(personas: Personas) -> None:
    p = personas
    dark = actions.dispatch_case(
        p.curator,
        [message("Во дворе на Чкалова, 12 темно уже неделю")],
        [actions.Route(p.roads, 1)],
        summary="Не горят фонари",
        now=msk(2025, 4, 28, 9, 5),
    )
    actions.dispatch_case(
        p.curator,
        [message("Яма у школы на Советской")],
        [actions.Route(p.roads, 1)],
        now=msk(2025, 4, 28, 9, 6),
    )
    url = reverse("cases:list")
    client = Client()
    # each word alone finds the case
    assert listed(page(client, p.curator, url + "?q=фонари")) == {dark.pk}
    assert listed(page(client, p.curator, url + "?q=Чкалова")) == {dark.pk}
    # both words of the same case: nothing found
    assert listed(page(client, p.curator, url + "?q=фонари+Чкалова")) == {dark.pk}


def test_r8_1_words_from_two_combined_messages_find_the_case(personas: Personas) -> None:
    p = personas
    pit = actions.dispatch_case(
        p.curator,
        [message("Яма на Ленина огромная"), message("Поддерживаю, у дома 7 колесо пробил")],
        [actions.Route(p.roads, 1)],
        now=msk(2025, 4, 28, 9, 5),
    )
    url = reverse("cases:list")
    client = Client()
    assert listed(page(client, p.curator, url + "?q=Ленина")) == {pit.pk}
    assert listed(page(client, p.curator, url + "?q=колесо")) == {pit.pk}
    assert listed(page(client, p.curator, url + "?q=Ленина+колесо")) == {pit.pk}
