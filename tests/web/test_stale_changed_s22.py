"""R-8.7, R-7.1, R-7.3 (`web/_typed_back.html`): an answer typed on the Governor's post page opened before signing in
again comes back into its box after the reload, with that page's own hidden values (the part's latest draft seen),
so the server's «Вопрос уже изменил другой сотрудник» check cannot see a change made while the form waited. When the
question changed meanwhile — an answer sent from another tab and returned by the head — the restored form says so
before it is sent; when nothing changed, it does not."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.governor import actions
from tests.conftest import Personas, msk
from tests.e2e.test_login_directory import login
from tests.web.test_stale_tab_s21 import sign_out_and_in_in_another_tab
from tests.web.test_stale_wrong_form_s21 import FIRST, SECOND, questions_routed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "Здравствуйте! Яму у школы на Соборной улице заделают до конца недели."


@pytest.mark.parametrize("changed", [True, False], ids=["returned-meanwhile", "unchanged"])
def test_a_restored_answer_says_when_the_question_changed_while_it_waited(
    page: Page, live_server: Any, personas: Personas, changed: bool
) -> None:
    p = personas
    _c1, c2 = questions_routed(p, FIRST, SECOND)
    assert c2.case is not None
    post_url = f"{live_server.url}/governor/posts/{c2.watch_id}/"
    box = f"answer-{c2.case.pk}-{p.roads.pk}"

    login(page, live_server.url, "dave")
    page.goto(post_url)
    expect(page.locator(f"#{box}")).to_be_visible()
    sign_out_and_in_in_another_tab(page, live_server.url, "dave")
    page.locator(f"#{box}").fill(TYPED)  # the answer checker goes in place with the stale token
    expect(page.get_by_test_id("page-stale")).to_be_visible(timeout=10_000)

    if changed:  # from another tab: an answer sent, and the head returns it, so the form is offered again
        actions.set_require_approval(p.roads, p.roads_head, True)
        actions.submit_answer(c2.case, p.dave, "Ответ из другой вкладки.", now=msk(2024, 11, 2, 10, 0))
        actions.return_answer(c2.case, p.roads_head, "Уточните срок.", now=msk(2024, 11, 2, 10, 30))

    page.goto(post_url)  # «Обновите страницу (F5)», as the note says
    expect(page.get_by_test_id("typed-back")).to_be_visible()
    expect(page.locator(f"#{box}")).to_have_value(TYPED)
    if changed:
        expect(page.get_by_test_id("typed-back-changed")).to_contain_text("обращение изменилось")
        expect(page.get_by_text("Ответ из другой вкладки.")).to_be_visible()
    else:
        expect(page.get_by_test_id("typed-back-changed")).to_have_count(0)
