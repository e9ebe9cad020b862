"""The monthly report in a browser, as an observer of the vice-governor's office reads it (R-13)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.reports.builders import build_october

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_observer_opens_the_monthly_report_and_downloads_the_xlsx(
    page: Page, live_server: Any, personas: Personas
) -> None:
    build_october(personas)
    login(page, live_server.url, "observer")
    page.get_by_role("link", name="Отчёты", exact=True).click()
    page.get_by_label("Месяц").fill("2025-10")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("heading", name="Ежемесячный отчёт: октябрь 2025")).to_be_visible()
    timeliness = page.get_by_test_id("timeliness")
    expect(timeliness.get_by_role("row").filter(has_text="Здравоохранение")).to_contain_text("66,7 %")
    expect(page.get_by_test_id("total-on-time")).to_have_text("75,0 %")
    expect(page.get_by_test_id("messages-total")).to_contain_text("Всего сообщений: 7")
    expect(page.get_by_test_id("dyn-network")).to_contain_text("Одноклассники")
    # the files say what they are for: Excel for people, JSON for other systems
    expect(page.get_by_role("link", name="JSON для других систем")).to_have_attribute(
        "title", re.compile("систем")
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)", exact=True).click()
    assert download.value.suggested_filename == "otklik-monthly-2025-10.xlsx"
