"""In a browser: the session ends while a form is filled in; the form is sent, the sign-in page says what was typed is
kept, and after signing in the same form is there again with the text in it — the executor's answer in the draft
editor, the curator's comment of «Вернуть на доработку» on the case page (R-8.4–8.5, nothing typed lost).
Found by a review (session 20)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from otklik.cases import actions
from tests.cases.helpers import dispatch
from tests.conftest import PASSWORD, Personas, msk
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANSWER = "Здравствуйте, Ирина! Ямы на дороге в Гатчине заделают до 15 мая: подрядчик уже на месте."
COMMENT = "Назовите дату ремонта"


def session_ends() -> None:
    """Every session ends on the server, as after hours without a request."""
    Session.objects.all().delete()


def sign_in_again(page: Page, username: str) -> None:
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_test_id("form-kept")).to_contain_text("Сеанс работы истёк")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()


def test_the_answer_is_back_in_the_editor_after_signing_in_again(
    page: Page, live_server: Any, personas: Personas
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/cases/{case.pk}/draft/")
    page.get_by_label("Текст").fill(ANSWER)
    session_ends()
    page.get_by_role("button", name="Направить куратору").click()
    sign_in_again(page, "alice")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/draft/$"))
    expect(page.get_by_test_id("typed-back")).to_contain_text("снова подставлен в форму")
    # the text shown to copy is what she typed, not the author's name the editor carries in a hidden field
    expect(page.get_by_test_id("typed-back").locator("textarea")).to_have_count(1)
    expect(page.get_by_label("Текст", exact=True)).to_have_value(ANSWER)
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")


def test_the_curators_comment_is_back_in_the_review_form_after_signing_in_again(
    page: Page, live_server: Any, personas: Personas
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(personas.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_label("Комментарий").fill(COMMENT)
    session_ends()
    page.get_by_role("button", name="Вернуть на доработку").click()
    sign_in_again(page, "curator")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_label("Комментарий")).to_have_value(COMMENT)
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на доработке")
