"""In a browser: no in-place action (htmx) fails silently. htmx itself leaves the page as it was when the server
answers with an error or cannot be reached, so the answer checker or a mark just stopped answering; now a Russian
note beside what sent the request says the action was not done and what to do, and it goes once the next request of
the same element succeeds (otklik.js; R-8.4 the answer checker as the executor types, R-14 the significance mark).
Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_server_error_and_a_lost_connection_of_the_answer_checker_are_said_and_then_cleared(
    page: Page, live_server: Any, personas: Personas
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/cases/{case.pk}/draft/")
    expect(page.locator("#check")).not_to_be_empty()  # the checker ran once on load
    failed = page.get_by_test_id("in-place-failed")

    def server_error(route: Route) -> None:
        route.fulfill(status=500, body="Server Error", content_type="text/html")

    page.route("**/answers/check/", server_error)
    page.get_by_label("Текст", exact=True).fill("Здравствуйте, Ирина! Ямы заделают до 15 мая.")
    expect(failed).to_contain_text("Действие не выполнено: ошибка на сервере (код 500)")
    expect(failed.get_by_role("alert")).to_have_count(1)

    page.unroute("**/answers/check/")
    page.route("**/answers/check/", lambda route: route.abort())
    page.get_by_label("Текст", exact=True).fill("Здравствуйте, Ирина! Ямы заделают до 20 мая.")
    expect(failed).to_contain_text("нет связи с сервером Отклика")
    expect(failed).to_have_count(1)  # one note, not one more for each failure

    page.unroute("**/answers/check/")
    page.get_by_label("Текст", exact=True).fill("Здравствуйте, Ирина! Ямы заделают до 25 мая.")
    expect(failed).to_have_count(0)
