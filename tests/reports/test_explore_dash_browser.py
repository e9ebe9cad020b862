"""A body's head in a browser: from the dashboard to a person's record of missed deadlines (R-12)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from tests.conftest import Personas, msk
from tests.e2e.test_login_directory import login
from tests.reports.builders import message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_head_opens_a_persons_record_from_the_dashboard(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-12: the head of health opens «Сводка», sees the body's open case with its figures and the people of the
    body, and opens Alekseeva's record (two missed deadlines) with one click; roads' people are not there."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.health)], now=msk(2025, 10, 7, 10, 0)
    )
    sla.sweep(now=msk(2025, 10, 8, 12, 0))
    login(page, live_server.url, "health_head")
    page.get_by_role("link", name="Сводка", exact=True).click()
    expect(page.get_by_test_id("body-totals")).to_contain_text("Открыто: 1")
    expect(page.get_by_test_id("body-cases")).to_contain_text(f"№ {case.pk}")
    people = page.get_by_test_id("body-people")
    expect(people).not_to_contain_text("Давыдов")
    expect(people.get_by_role("row").filter(has_text="Алексеева")).to_contain_text("2")
    people.get_by_role("link", name="Алексеева Тест").click()
    expect(page.get_by_role("heading", name="Нарушения сроков: Алексеева Тест")).to_be_visible()
    expect(page.get_by_test_id("record-total")).to_have_text("2")
