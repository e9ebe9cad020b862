"""The page's own Russian messages for fields the browser stops (otklik.js `said`): a date named as the field shows it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_date_before_the_first_day_is_named_as_the_field_shows_it(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-12 (the violations report's period): a day before 01.01.2000 is stopped by the browser. The field shows
    dates as «дд.мм.гггг», and a Russian browser said «Значение должно быть 01.01.2000 или позже.»; `said` now
    says «Значение должно быть не меньше 2000-01-01.» — the date in the form the person never sees."""
    login(page, live_server.url, "curator")
    page.goto(live_server.url + reverse("reports:violations"))
    field = page.locator("input[name=from]")
    field.fill("1999-12-31")
    page.get_by_role("button", name="Показать").click()
    said = field.evaluate("e => e.validationMessage")
    assert said != "", "the browser did not stop the form"
    assert "2000-01-01" not in said, said
    assert "01.01.2000" in said, said
