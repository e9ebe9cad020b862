"""R-7.1: a refused form on the Governor's post page, in a browser: the field is unfolded, focused and marked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from otklik.cases.models import Case
from otklik.governor.models import Comment
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_refused_hand_over_on_the_governors_post_unfolds_and_focuses_its_reason(
    page: Page, live_server: Any, post_with_question: tuple[Personas, int, Case, Comment]
) -> None:
    """R-7.1: on the Governor's post page the executor hands a question over with a reason of spaces. The form sits
    folded under «Передать другому органу» among the forms of every question; the page comes back with that form
    unfolded and its reason focused, marked invalid, the refusal's reason beside it."""
    p, watch_pk, case, _ = post_with_question
    login(page, live_server.url, "alice")
    page.goto(live_server.url + reverse("governor:post", args=[watch_pk]))
    page.get_by_text("Передать другому органу").click()
    page.get_by_label("Почему вопрос передаётся").fill("   ")
    page.get_by_role("button", name="Передать").click()

    expect(page).to_have_title(re.compile(r"^Ошибка: "))
    field = page.locator(f"#handover-reason-{case.pk}-{p.health.pk}")
    expect(field).to_be_visible()  # its section unfolded
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-error")).to_have_text("Укажите, почему вопрос передаётся.")
