"""The session ends while the executor writes an answer; she does what the page tells her — signs in again in another
tab and sends the form from the first tab — and the answer is not lost (R-8.4, nothing typed lost; browser test).

Signing in rotates the CSRF token (Django's `login()`), so the form still open in the first tab carries the old one
and is refused by the CSRF check before any view runs. She now lands on the same editor with the notice that the page
was stale and her answer back in the text field (`web.stale_page`); sent again, it goes to the curator. The
answer checker's in-place note (`web.signed_out.SIGNED_OUT`) says so. Before, the refusal was Django's «Ошибка доступа
(403) Ошибка проверки CSRF. Запрос отклонён…» page and the typed answer was gone from the screen.
Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import Page, expect

from otklik.cases.models import Draft
from tests.cases.helpers import dispatch
from tests.conftest import PASSWORD, Personas, msk
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANSWER = "Здравствуйте, Ирина! Ямы на дороге в Гатчине заделают до 15 мая: подрядчик уже на месте."


def test_the_answer_sent_after_signing_in_again_in_another_tab_is_not_refused_as_a_csrf_failure(
    page: Page, live_server: Any, personas: Personas
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/cases/{case.pk}/draft/")
    page.get_by_label("Текст").fill(ANSWER[:40])
    Session.objects.all().delete()  # hours without a request: the session has ended on the server
    page.get_by_label("Текст").fill(ANSWER)
    note = page.get_by_test_id("signed-out")
    expect(note).to_contain_text("войдите в Отклик заново в другой вкладке, затем повторите")
    expect(note).to_contain_text(
        "Если Отклик ответит, что страница устарела, введённый текст вернётся в форму"
    )

    other = page.context.new_page()  # as the note says
    other.goto(f"{live_server.url}/login/")
    other.get_by_label("Имя пользователя").fill("alice")
    other.get_by_label("Пароль").fill(PASSWORD)
    other.get_by_role("button", name="Войти").click()
    expect(other.get_by_role("heading", name="Рабочий стол")).to_be_visible()

    page.bring_to_front()
    page.get_by_role("button", name="Направить куратору").click()
    page.wait_for_load_state()
    assert "Ошибка проверки CSRF" not in page.locator("body").inner_text()
    sent = Draft.objects.filter(case=case, text=ANSWER).exists()
    shown_again = ANSWER in page.evaluate(
        "() => Array.from(document.querySelectorAll('textarea')).map(t => t.value).join('\\n')"
    )
    # the stale page's form is not sent: she gets it back, filled, on the same page, and sends it again
    assert shown_again and not sent
    expect(page.get_by_test_id("typed-back")).to_contain_text("Страница устарела")
    expect(page.get_by_label("Текст", exact=True)).to_have_value(ANSWER)
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")
    assert Draft.objects.filter(case=case, text=ANSWER).exists()
