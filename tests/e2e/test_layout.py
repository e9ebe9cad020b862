"""Layout on a phone and a laptop (browser test): the page never gets wider than the window — the menu wraps
so «Выйти» can be reached, a long unbroken word in a message breaks, and a wide table scrolls in its own box."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.intake.models import Message
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def page_width(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_menu_wraps_on_a_phone_and_logout_is_reachable(
    page: Page, live_server: Any, personas: Personas
) -> None:
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "admin")  # the administrator has the longest menu
    assert page_width(page) <= PHONE["width"]
    logout = page.get_by_role("button", name="Выйти")
    expect(logout).to_be_in_viewport()
    box = logout.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    logout.click()
    expect(page.get_by_role("button", name="Войти")).to_be_visible()


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_long_word_in_a_message_does_not_stretch_the_page(
    page: Page, live_server: Any, personas: Personas, viewport: dict[str, int]
) -> None:
    Message.objects.create(
        network="vk", external_id="long-1", author_name="Житель", text="Смотрите " + "а" * 500
    )
    page.set_viewport_size(viewport)
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/intake/messages/")
    expect(page.locator("tr", has_text="Смотрите")).to_be_visible()
    assert page_width(page) <= viewport["width"]


def test_wide_report_table_scrolls_inside_its_box(page: Page, live_server: Any, personas: Personas) -> None:
    page.set_viewport_size(PHONE)
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/reports/monthly/")
    table = page.get_by_test_id("timeliness")
    expect(table).to_be_visible()
    assert page_width(page) <= PHONE["width"]
    box = table.locator("xpath=..")
    expect(box).to_have_class("table-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider, its box scrolls
