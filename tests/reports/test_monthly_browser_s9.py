"""The monthly report on a laptop's screen (R-13, browser test): the timeliness of the bodies is read without
scrolling sideways. A UI walk found the one timeliness table 1875 px wide in a 1200 px box at 1366 px: «Медиана до
ответа», «90-й процентиль» and «Нарушений» were off the screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.org.models import Body
from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.reports.builders import build_october

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}


def test_r13_the_monthly_timeliness_fits_a_1366_px_window(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-13: the observer opens October 2025 at 1366 × 768, the bodies under their full names (as in the
    directory: «Комитет по здравоохранению» …). No table of the page scrolls sideways; «Нарушений» of the summary
    and the last stage's column («ответить после уточнения автора (п. 7.3)») are inside the window."""
    build_october(personas)
    Body.objects.filter(pk__in=[personas.health.pk, personas.roads.pk]).update(short_name="")
    page.set_viewport_size(LAPTOP)
    login(page, live_server.url, "observer")
    page.goto(f"{live_server.url}/reports/monthly/?month=2025-10")
    summary = page.get_by_test_id("timeliness")
    expect(summary.get_by_role("row").filter(has_text="Комитет по здравоохранению")).to_contain_text("66,7 %")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')].map(
            b => [b.querySelector('table').dataset.testid, b.scrollWidth, b.clientWidth])"""
    )
    assert boxes and all(scroll <= client for _, scroll, client in boxes), boxes
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= LAPTOP["width"]
    for table, heading in (
        ("timeliness", "Нарушений"),
        ("timeliness-stages", "ответить после уточнения автора"),
    ):
        cell = page.get_by_test_id(table).locator("th", has_text=heading)
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], (table, box)
