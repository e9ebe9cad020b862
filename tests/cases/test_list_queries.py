"""Query-count baselines of the list pages (as NetBox keeps them): each list runs a fixed number of queries
whatever the number of rows, so a page of 50 never turns into 50 extra queries (N+1), and no page counts the
whole table. The pager shows "страница N" with links, without a total."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.cases.paging import PAGE_SIZE
from otklik.org.models import Person
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."

# (url name, who) → the most queries the page may run (session, user, roles, navigation, the header's unread
# notices, the list itself; the inbox also reads its floor, the page's suggestions and decisions, and the bodies
# allowed; the review queue the drafts on review of its page)
BASELINE = {
    ("cases:inbox", "curator"): 10,
    ("cases:review_queue", "curator"): 9,
    ("cases:my_queue", "alice"): 11,  # + who of the page's responsible people is away now
    # + the bodies' earlier working hours: time overdue is counted by the hours then in force (session 24)
    ("cases:list", "curator"): 10,
    ("cases:list", "alice"): 11,
}


def build(p: Personas, n: int) -> None:
    """n cases to health and roads, every other one (to health alone) waiting for review, plus n unrouted
    messages."""
    for i in range(n):
        bodies = (p.health,) if i % 2 == 0 else (p.health, p.roads)
        case = dispatch(p.curator, *bodies, at=msk(2025, 4, 28, 9, i % 50))
        if i % 2 == 0:
            actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
        message(f"Сообщение без ответа № {i}")


def count(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    for q in ctx.captured_queries:
        sql = q["sql"].upper()
        assert not ("COUNT(" in sql and ('"CASES_' in sql or '"INTAKE_MESSAGE"' in sql)), q["sql"]
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.parametrize(("name", "who"), list(BASELINE))
def test_list_pages_run_a_fixed_number_of_queries(
    client: Client,
    personas: Personas,
    django_assert_max_num_queries: Callable[..., Any],
    name: str,
    who: str,
) -> None:
    build(personas, 4)
    client.force_login(Person.objects.get(username=who))
    url = reverse(name)
    client.get(url)  # warm the per-process caches (calendar, policy)
    few, _ = count(client, url)
    build(personas, 2 * PAGE_SIZE + 5)  # now more than a page of everything
    with django_assert_max_num_queries(BASELINE[(name, who)]):
        many, html = count(client, url)
    assert many == few, f"{name}: {few} queries with 4 rows, {many} with a full page (N+1?)"
    assert 'rel="next"' in html and "страница 1" in html
    page2, html2 = count(client, url + "?page=2")
    assert page2 == many
    assert "страница 2" in html2 and 'rel="prev"' in html2


def test_pager_without_total(client: Client, personas: Personas) -> None:
    """One row more than the page is fetched to know whether there is a next page; a stale page number past
    the end shows the first page."""
    build(personas, PAGE_SIZE + 1)
    client.force_login(personas.curator)
    url = reverse("cases:list")
    first = client.get(url).content.decode()
    assert first.count('href="/cases/') >= PAGE_SIZE and 'rel="next"' in first and " из " not in first
    second = client.get(url + "?page=2").content.decode()
    assert 'rel="next"' not in second and 'rel="prev"' in second
    oldest = Case.objects.order_by("dispatched_at", "id").first()
    assert oldest is not None and f">{oldest.pk}</a>" in second
    assert "страница 1" in client.get(url + "?page=999").content.decode()
    assert "страница 1" in client.get(url + "?page=abc").content.decode()
