"""A curator signs in through the real login form and walks the directory (R-3, R-5, R-6)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.org.models import Absence
from tests.conftest import PASSWORD, Personas, msk

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Рабочий стол")).to_be_visible()


def test_curator_logs_in_and_opens_the_directory(page: Page, live_server: Any, personas: Personas) -> None:
    Absence.objects.create(
        person=personas.alice,
        substitute=personas.bob,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2025, 1, 1, 0, 0),
        ends_at=msk(2099, 1, 1, 0, 0),
    )
    base = live_server.url
    page.goto(f"{base}/")
    page.get_by_label("Имя пользователя").fill("curator")
    page.get_by_label("Пароль").fill("wrong password")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("alert")).to_contain_text("Неверное имя пользователя или пароль")

    login(page, base, "curator")
    expect(page.get_by_test_id("whoami")).to_contain_text("куратор")

    page.get_by_role("link", name="Органы", exact=True).click()
    expect(page.get_by_role("heading", name="Органы")).to_be_visible()
    page.get_by_role("link", name="Комитет по здравоохранению").click()
    expect(page.get_by_role("heading", name="Комитет по здравоохранению")).to_be_visible()
    expect(page.get_by_text("Алексеева")).to_be_visible()

    page.get_by_role("link", name="Отсутствия", exact=True).click()
    row = page.get_by_role("row").filter(has_text="Алексеева Тест")
    expect(row).to_contain_text("отпуск")
    expect(row).to_contain_text("Борисов Тест")  # who actually does the work now


def test_executor_sees_no_edit_link_for_other_bodies(
    page: Page, live_server: Any, personas: Personas
) -> None:
    login(page, live_server.url, "dave")
    page.get_by_role("link", name="Сотрудники", exact=True).click()
    expect(page.locator("tr[data-person=alice]")).to_be_visible()
    expect(page.locator("tr[data-person=alice]").get_by_role("link", name="изменить")).to_have_count(0)
    page.goto(f"{live_server.url}/directory/people/{personas.alice.pk}/edit/")
    expect(page.get_by_role("heading", name="Страница не найдена")).to_be_visible()


def test_a_competence_is_deleted_only_after_the_curator_confirms(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.1 routing rules: «удалить» on the competence list asks first — a misclick that is dismissed keeps the
    rule; a confirmed one deletes it."""
    from otklik.org.models import Competence
    from tests.governor.helpers import competence

    competence(personas.health, "Здравоохранение/Медицина", "Запись к врачу")
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/directory/competences/")
    row = page.get_by_role("row").filter(has_text="Запись к врачу")
    asked: list[str] = []

    def answer(dialog: Any, accept: bool) -> None:
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    row.get_by_role("button", name="удалить").click()
    expect(row).to_be_visible()
    assert Competence.objects.filter(topic__name="Запись к врачу").exists()
    page.once("dialog", lambda d: answer(d, True))
    row.get_by_role("button", name="удалить").click()
    expect(page.get_by_text("Компетенция удалена")).to_be_visible()
    assert not Competence.objects.filter(topic__name="Запись к врачу").exists()
    assert len(asked) == 2 and "Запись к врачу" in asked[0]
