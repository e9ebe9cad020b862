"""An executor types an answer on «Проверка ответа» and sees the checker's findings appear (R-9, R-11)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_typing_настоящим_сообщаем_shows_the_template_finding(
    page: Page, live_server: Any, personas: Personas
) -> None:
    login(page, live_server.url, "alice")
    page.get_by_role("link", name="Проверка ответа", exact=True).click()
    expect(page.get_by_role("heading", name="Проверка ответа")).to_be_visible()

    box = page.get_by_label("Текст ответа")
    box.press_sequentially("Настоящим сообщаем", delay=20)
    findings = page.locator("#answer-findings")
    expect(findings.locator('li[data-code="template"]')).to_contain_text("Настоящим сообщаем")
    expect(findings.locator('blockquote mark[data-code="template"]')).to_have_text("Настоящим сообщаем")
    expect(findings.locator('li[data-code="no_greeting"]')).to_be_visible()
    score = int(findings.get_by_test_id("answer-score").inner_text())
    assert score < 100

    # Rewriting the answer clears the findings; nothing blocks typing or submitting.
    box.fill("")
    box.press_sequentially("Анна, здравствуйте! Яму у дома 5 заделали 3 мая.", delay=5)
    page.get_by_label("Имя автора").fill("Анна")
    page.get_by_label("Имя автора").blur()
    expect(findings).to_contain_text("Замечаний нет")
    expect(findings.get_by_test_id("answer-score")).to_have_text("100")
