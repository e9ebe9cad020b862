"""R-8.3 (review of 2026-11-30): the home page's deadline figures open «Мои обращения» with `?show=today|overdue`;
the narrowed queue must page like the whole one (the pager keeps `?show=`) and run a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.paging import PAGE_SIZE
from tests.cases.test_list_queries import build, count
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r8_3_the_overdue_queue_pages_with_its_filter_and_a_fixed_number_of_queries(
    client: Client, personas: Personas
) -> None:
    """Passes today: kept as the check that `?show=` survives the pager (`{% querystring %}`)."""
    build(personas, 4)  # dispatched in April 2025: every deadline is overdue today
    client.force_login(personas.alice)
    url = reverse("cases:my_queue") + "?show=overdue"
    client.get(url)
    few, _ = count(client, url)
    build(personas, PAGE_SIZE + 1)
    whole, _ = count(client, reverse("cases:my_queue"))
    many, html = count(client, url)
    assert (
        many == few == whole
    )  # the narrowed queue costs no query more than the whole one, whatever its rows
    assert "Показаны обращения с просроченным сроком" in html
    nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
    assert nxt and "show=overdue" in nxt[1] and "page=2" in nxt[1]
    page2, html2 = count(client, reverse("cases:my_queue") + nxt[1].replace("&amp;", "&"))
    assert page2 == many and "страница 2" in html2 and "Показаны обращения с просроченным сроком" in html2
    today = client.get(reverse("cases:my_queue") + "?show=today").content.decode()
    assert "Таких обращений нет." in today
