"""R-7.3 (`web/_typed_back.html`): an interim answer (the author asked for details) typed on a page opened before
signing in again comes back with «Промежуточный ответ» still ticked, so sent again it stays a request for details,
not the final answer. Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.web.test_stale_tab_s21 import sign_out_and_in_in_another_tab
from tests.web.test_stale_wrong_form_s21 import questions_routed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "Когда отремонтируют дорогу в Гатчине? Ямы по колено."
INTERIM = "Здравствуйте! Уточните, пожалуйста, на какой улице ямы — передадим подрядчику."


def test_an_interim_answer_from_a_stale_page_comes_back_still_marked_interim(
    page: Page, live_server: Any, personas: Personas
) -> None:
    p = personas
    (c,) = questions_routed(p, QUESTION)
    assert c.case is not None

    login(page, live_server.url, "dave")
    page.goto(f"{live_server.url}/governor/posts/{c.watch_id}/")
    form = page.locator("form", has=page.locator(f"#answer-{c.case.pk}-{p.roads.pk}"))
    form.locator("textarea[name=text]").fill(INTERIM)
    form.locator("input[name=interim]").check()
    sign_out_and_in_in_another_tab(page, live_server.url, "dave")
    form.get_by_role("button", name="Ответить").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("typed-back")).to_contain_text("текст восстановлен")
    form = page.locator("form", has=page.locator(f"#answer-{c.case.pk}-{p.roads.pk}"))
    expect(form.locator("textarea[name=text]")).to_have_value(INTERIM)
    assert form.locator("input[name=interim]").is_checked(), (
        "the text is back and the page says to check it and send it again, but «Промежуточный ответ» is no longer "
        "ticked: sent again, the interim request for details goes as the final answer"
    )
