"""The curator's inbox in a browser (R-8.1 suggestions): a short comment's topic and place are read with the comment
or post it answers, and the inbox and the dispatch form say so."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.analysis.pipeline import annotate_message
from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.intake.models import Message, Network, Post
from otklik.org.loaders import load_directory
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "Когда откроют поликлинику в Кудрово? Уже два года обещают, а здание так и стоит пустое"
SCHOOL = "В Тосно началось строительство новой школы на 1100 мест, откроется в 2027 году."


@pytest.fixture(autouse=True)
def _fresh_indexes() -> Iterator[None]:
    # the gazetteer and the repeat index live per process; ids restart with each test database
    reset_gazetteer()
    reset_repeat_index()
    yield
    reset_gazetteer()
    reset_repeat_index()


def comment(n: int, text: str, **extra: Any) -> Message:
    return Message.objects.create(
        network=Network.VK, external_id=f"wall-1_{n}", url=f"https://vk.com/wall-1_{n}", text=text, **extra
    )


def test_the_inbox_says_a_short_comment_s_suggestions_come_from_what_it_answers(
    page: Page, live_server: Any, personas: Personas
) -> None:
    load_directory()
    post = Post.objects.create(network=Network.VK, external_id="-1_500", text=SCHOOL)
    question = comment(1, QUESTION, author_name="Ольга")
    reply = comment(2, "У нас та же проблема", author_name="Павел", reply_to=question)
    under_post = comment(3, "А спортзал там будет?", author_name="Нина", post=post)
    for m in (question, reply, under_post):
        annotate_message(m)

    login(page, live_server.url, "curator")
    page.get_by_role("link", name="Входящие", exact=True).click()
    rows = page.get_by_role("row")
    reply_hints = rows.filter(has_text="У нас та же проблема").get_by_test_id("hints")
    expect(reply_hints).to_contain_text("— по комментарию, на который он отвечает")
    expect(reply_hints).to_contain_text("Кудрово — по комментарию, на который он отвечает")
    post_hints = rows.filter(has_text="А спортзал там будет?").get_by_test_id("hints")
    expect(post_hints).to_contain_text("Образование")
    expect(post_hints).to_contain_text("— по посту, под которым он написан")
    # the curator sees what the suggestion was read with, under the comment's own text
    expect(rows.filter(has_text="Павел").get_by_test_id("answered")).to_contain_text(
        "В ответ на: Когда откроют поликлинику в Кудрово?"
    )
    expect(rows.filter(has_text="Нина").get_by_test_id("answered")).to_contain_text(
        "Под постом: В Тосно началось строительство новой школы"
    )
    expect(rows.filter(has_text="Ольга").get_by_test_id("answered")).to_have_count(0)
    question_hints = rows.filter(has_text="Ольга").get_by_test_id("hints")
    expect(question_hints).to_contain_text("Кудрово")
    expect(question_hints).not_to_contain_text("по комментарию")

    # the dispatch form repeats where its prefilled topic and place come from
    rows.filter(has_text="У нас та же проблема").get_by_role("button", name="Направить").click()
    expect(page.get_by_text("подсказка: ").first).to_be_visible()
    expect(page.get_by_test_id("answered")).to_contain_text(
        "В ответ на: Когда откроют поликлинику в Кудрово?"
    )
    expect(page.locator("label").filter(has_text="Муниципальное образование")).to_contain_text(
        "— по комментарию, на который он отвечает"
    )
