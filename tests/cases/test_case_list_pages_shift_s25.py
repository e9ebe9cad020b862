"""Found by a review (session 25), fixed since. R-8.1 (case list «Обращения» searched and filtered, paged by «вперёд →»): a case dispatched, or a case leaving the
filter, while the curator reads page 1 makes page 2 show a case of page 1 again, or skip a case unseen.

`cases.views.case_list` (src/otklik/cases/views.py) pages with an offset (`_page` → `cases.paging.page_of`: rows 51–101 of the list as it is
at the moment of the second request), and the «вперёд →» link is just ``?<filters>&page=2``. The list is newest
first, so a case the curator (or a colleague) dispatches in between moves every row down by one: the last case of
page 1 opens page 2 again. A case that leaves the filter in between (a body refuses it: «подготовка проекта» →
«нужен новый исполнитель») moves every row up by one: the first case that belonged to page 2 is on neither page.
The inbox, the review queue and the notifications already continue after the last row shown («after»:
`_page_after`), for exactly this reason; the case list does not."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Assignment, Case
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
PAGE = 50


def rows(client: Client, url: str) -> tuple[list[int], str]:
    """The case numbers of a page of the list, in the order shown, and the link to the next page."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    nxt = re.search(r'rel="next" href="([^"]+)"', html)
    assert nxt, "no link to the next page"
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)], nxt.group(1).replace("&amp;", "&")


def lamps(p: Personas, n: int, minute: int) -> Case:
    return actions.dispatch_case(
        p.curator,
        [message(f"Не горят фонари у дома {n} на Чкалова")],
        [actions.Route(p.roads, 1)],
        now=msk(2025, 4, 28, 9, 0).replace(minute=minute % 60, hour=9 + minute // 60),
    )


@pytest.fixture
def listed_cases(personas: Personas) -> list[Case]:
    return [lamps(personas, n, n) for n in range(PAGE + 3)]


def test_r8_1_a_case_dispatched_meanwhile_does_not_repeat_page_1_on_page_2(
    personas: Personas, listed_cases: list[Case]
) -> None:
    client = Client()
    client.force_login(personas.curator)
    url = reverse("cases:list") + "?status=drafting&q=фонари"
    first, nxt = rows(client, url)
    assert len(first) == PAGE
    lamps(personas, 999, 200)  # a new case on the same problem, dispatched while page 1 is read
    second = rows_any(client, reverse("cases:list") + nxt)
    assert not set(first) & set(second), f"shown again on page 2: {sorted(set(first) & set(second))}"


def test_r8_1_a_case_leaving_the_filter_meanwhile_does_not_hide_one_from_both_pages(
    personas: Personas, listed_cases: list[Case]
) -> None:
    p = personas
    client = Client()
    client.force_login(p.curator)
    url = reverse("cases:list") + "?status=drafting&q=фонари"
    first, nxt = rows(client, url)
    # a case of page 1 is refused by its body while the curator reads page 1: it leaves «подготовка проекта»
    refused = Assignment.objects.get(case_id=first[0])
    actions.reject_assignment(p.dave, refused, "Освещение дворов — не дорожное хозяйство")
    assert Case.objects.get(pk=first[0]).status != Case.Status.DRAFTING
    second = rows_any(client, reverse("cases:list") + nxt)
    still = {c.pk for c in listed_cases} - {first[0]}
    unseen = still - set(first) - set(second)
    assert not unseen, f"on neither page: {sorted(unseen)}"


def rows_any(client: Client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', response.content.decode())]
