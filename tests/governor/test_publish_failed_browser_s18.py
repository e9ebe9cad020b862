# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.1, R-7.2 in a browser: the head approves an answer and VK refuses it; the executor who publishes the body's
answers finds the notice to post it by hand on «Уведомления». Loopback fake VK; the answer is written and approved
on the post page as the body's people do it. Found by a review (session 18)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases.models import Draft
from otklik.governor import actions
from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.fakes.vk import FakeVK
from tests.governor.conftest import fake_vk, p  # noqa: F401 (the Governor's tests' own fixtures)
from tests.governor.test_s5e_findings import vk_question

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANSWER = "Здравствуйте! Терапевт начнёт приём в поликлинике Гатчины 11 ноября."


def test_r7_2_the_executor_is_told_when_her_approved_answer_was_not_published(
    page: Page, live_server: Any, p: Personas, fake_vk: FakeVK
) -> None:
    """Алексеева answers on the post page; health requires approval, so it waits for the head. Яковлева approves
    it; VK refuses the reply (error 15) and she reads, in Russian, «Согласовано; опубликуйте вручную…». The text
    is kept. Алексеева, who publishes the body's answers, opens «Уведомления» and reads that the approved answer
    was not published and is to be posted by hand."""
    actions.set_require_approval(p.health, p.health_head, True)
    c, _ = vk_question(fake_vk)
    base = live_server.url
    post_url = f"{base}/governor/posts/{c.watch_id}/"

    login(page, base, "alice")
    page.goto(post_url)
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    question.get_by_label("Ответ под комментарием").fill(ANSWER)
    question.get_by_role("button", name="Ответить").click()
    expect(page.locator(".messages")).to_contain_text("направлен на согласование")
    page.context.clear_cookies()

    fake_vk.fail("wall.createComment", code=15)
    login(page, base, "health_head")
    page.goto(post_url)
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    question.get_by_role("button", name="Согласовать и опубликовать").click()
    expect(page.locator(".messages")).to_contain_text("опубликуйте вручную")
    expect(page.locator(".messages")).to_contain_text("отказала в публикации")
    assert Draft.objects.get(case_id=c.case_id).text == ANSWER
    page.context.clear_cookies()

    login(page, base, "alice")
    page.goto(f"{base}/cases/notifications/")
    expect(page.locator("main")).to_contain_text("Автоматическая публикация не удалась", timeout=3_000)
    expect(page.locator("main")).to_contain_text("опубликуйте его вручную")
