"""On a 390 px phone the absences page and the case page of a case sent to two bodies keep the window's width: the
menus and headings stay put under the finger, and only a wide table scrolls in its own box (R-6 absences, R-8.9 a case of several bodies; any
screen; `.table-scroll`, otklik.js; tests/e2e/test_layout.py). Four tables name their last column for screen readers
only (`<th><span class="visually-hidden">Действия</span></th>`: absences, official accounts, the case page's bodies,
a Governor's post's comments); `.visually-hidden` is `position: absolute`, and before `.table-scroll` was
positioned that span was laid out outside the scrolling box where the table's last column ends, widening the page to
639 px (the absences page, even empty) or 693 px (the case page).
Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases import actions
from tests.cases.helpers import message
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_the_absences_page_keeps_the_phones_width(page: Page, live_server: Any, personas: Personas) -> None:
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "health_head")
    page.goto(f"{live_server.url}/directory/absences/")
    expect(page.get_by_role("heading", name="Отсутствия и замещения")).to_be_visible()
    assert page_width(page) <= PHONE["width"]


def test_the_case_page_of_two_bodies_keeps_the_phones_width(
    page: Page, live_server: Any, personas: Personas
) -> None:
    p = personas
    case = actions.dispatch_case(
        p.curator,
        [message("На Соборной в Гатчине третий день не горят фонари, детям темно идти в школу")],
        [actions.Route(p.health, 1), actions.Route(p.roads, 2)],
    )
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Обращение № {case.pk}")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
