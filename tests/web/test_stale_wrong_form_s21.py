"""R-8.7, R-7.3 (`web.stale_page`, `web/_typed_back.html`): on the Governor's post page, with an answer form per
question all checked at one address (/answers/check/), an answer typed for the second question on a page opened before
signing in again (another tab) comes back, after the page is reloaded, in the second question's box — the form of the
element that sent the refused check — never in the first question's. Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.e2e.test_login_directory import login
from tests.governor.helpers import (
    HEALTH_TOPIC,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)
from tests.web.test_stale_tab_s21 import sign_out_and_in_in_another_tab

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POST_AT = msk(2024, 11, 1, 17, 30)
FIRST = "Когда отремонтируют дорогу в Гатчине? Ямы по колено."
SECOND = "Когда починят дорогу на улице Соборной в Гатчине? Ямы у школы."
ANSWER_TO_SECOND = "Здравствуйте! Ремонт дороги у школы на Соборной улице включён в план на май."


def questions_routed(p: Personas, *texts: str) -> list[Comment]:
    """The Governor's post with these questions under it (5 minutes apart), each routed to its body as a case."""
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    messages = [comment(post, text, msk(2024, 11, 1, 17, 40 + 5 * i)) for i, text in enumerate(texts)]
    service.process_comments(now=msk(2024, 11, 2, 9, 0))
    found = [Comment.objects.get(message=m) for m in messages]
    assert all(c.case is not None for c in found)
    return found


def test_an_answer_typed_for_the_second_question_comes_back_in_its_own_box_not_the_first(
    page: Page, live_server: Any, personas: Personas
) -> None:
    p = personas
    c1, c2 = questions_routed(p, FIRST, SECOND)
    assert c1.case is not None and c2.case is not None

    login(page, live_server.url, "dave")
    page.goto(f"{live_server.url}/governor/posts/{c1.watch_id}/")
    url = page.url
    box1 = page.locator(f"#answer-{c1.case.pk}-{p.roads.pk}")
    box2 = page.locator(f"#answer-{c2.case.pk}-{p.roads.pk}")
    expect(box1).to_be_visible()
    expect(box2).to_be_visible()

    sign_out_and_in_in_another_tab(page, live_server.url, "dave")
    box2.fill(ANSWER_TO_SECOND)  # the answer checker goes in place with the stale token
    expect(page.get_by_test_id("page-stale")).to_be_visible(timeout=10_000)

    page.goto(url)  # «Обновите страницу (F5)», as the note says
    expect(page.get_by_test_id("typed-back")).to_be_visible()
    box1 = page.locator(f"#answer-{c1.case.pk}-{p.roads.pk}")
    box2 = page.locator(f"#answer-{c2.case.pk}-{p.roads.pk}")
    assert box1.input_value() == "", (
        f"the answer typed for «{SECOND}» was put into the answer box of «{FIRST}»: {box1.input_value()!r}"
    )
    expect(box2).to_have_value(ANSWER_TO_SECOND)
