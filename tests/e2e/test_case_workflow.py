"""The whole clause-8 path in a browser, as the people would walk it (R-8.1, R-8.4–8.7, R-11 hook)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases.models import Case
from otklik.intake.models import Message
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = "В поликлинике Кировска третью неделю нет записи к терапевту. Когда это исправят?"


def logout(page: Page) -> None:
    page.get_by_role("button", name="Выйти").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def open_case(page: Page, base: str, menu: str, case_pk: int) -> None:
    page.get_by_role("link", name=menu, exact=True).click()
    page.get_by_role("link", name=f"№ {case_pk}").first.click()
    expect(page.get_by_role("heading", name=f"Обращение № {case_pk}")).to_be_visible()


def test_case_walks_from_dispatch_through_return_and_approval_to_publication(
    page: Page, live_server: Any, personas: Personas
) -> None:
    base = live_server.url
    Message.objects.create(
        network="vk",
        external_id="wall-1_500",
        url="https://vk.com/wall-1_500",
        author_name="Ирина Петрова",
        text=TEXT,
    )
    Topic.objects.create(group=TopicGroup.objects.create(name="Здравоохранение"), name="Запись к врачу")
    Municipality.objects.create(name="Кировский муниципальный район")

    # the curator dispatches from the inbox: she sets the topic and the place, the form does not go without
    login(page, base, "curator")
    page.get_by_role("link", name="Входящие", exact=True).click()
    page.get_by_role("row").filter(has_text="Кировска").get_by_role("button", name="Направить").click()
    page.get_by_label("Орган 1").select_option(label="Комитет по здравоохранению")
    page.get_by_role("button", name="Направить в работу").click()
    assert page.locator("select[name=topic]").evaluate("el => el.validity.valueMissing")
    assert not Case.objects.exists()
    page.get_by_label("Тема").select_option(label="Запись к врачу")
    page.get_by_label("Место").select_option(label="Кировский муниципальный район")
    page.get_by_role("button", name="Направить в работу").click()
    expect(page.get_by_role("heading", name="Входящие сообщения")).to_be_visible()  # back to the next message
    page.locator("ul.messages").get_by_role("link").click()  # the notice links the new case
    expect(page.get_by_test_id("case-status")).to_have_text("подготовка проекта")
    expect(page.get_by_test_id("case-place")).to_have_text("Кировский муниципальный район")
    expect(page.locator("p", has_text="тема: Запись к врачу")).to_be_visible()  # the header, not the timeline
    case = Case.objects.get()
    expect(page.locator("a[href='https://vk.com/wall-1_500']")).to_be_visible()
    logout(page)

    # the executor drafts; the checker answers as she types
    login(page, base, "alice")
    open_case(page, base, "Мои обращения", case.pk)
    page.get_by_role("button", name="Подготовить проект").click()
    # typing officialese shows the finding in the editor, without blocking anything
    page.get_by_label("Текст").press_sequentially("Настоящим сообщаем", delay=20)
    expect(
        page.locator("#check [data-code=template], #check [data-code=bureaucratese]").first
    ).to_be_visible()
    expect(page.locator("#check")).to_contain_text("Настоящим сообщаем")
    page.get_by_label("Текст").fill("Запись к терапевту откроется в понедельник.")
    expect(page.locator("#check")).to_contain_text("Оценка ответа")
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")
    logout(page)

    # the curator returns it with a comment
    login(page, base, "curator")
    open_case(page, base, "Согласование", case.pk)
    expect(page.locator(".answer-check")).to_be_visible()
    page.get_by_label("Комментарий").fill("Поздоровайтесь с автором и назовите дату")
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на доработке")
    logout(page)

    # the executor revises
    login(page, base, "alice")
    open_case(page, base, "Мои обращения", case.pk)
    page.get_by_role("button", name="Доработать проект").click()
    expect(page.get_by_text("Поздоровайтесь с автором и назовите дату")).to_be_visible()
    page.get_by_label("Текст").fill("Здравствуйте, Ирина! Запись к терапевту откроется 5 мая.")
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")
    logout(page)

    # the curator approves
    login(page, base, "curator")
    open_case(page, base, "Согласование", case.pk)
    page.get_by_role("button", name="Согласовать").click()
    expect(page.get_by_test_id("case-status")).to_have_text("согласован, ждёт публикации")
    logout(page)

    # the executor confirms the published link; the case closes
    login(page, base, "alice")
    open_case(page, base, "Мои обращения", case.pk)
    page.get_by_role("button", name="Подтвердить публикацию").click()
    page.get_by_label("Ссылка на опубликованный ответ").fill("https://vk.com/wall-1_500?reply=501")
    page.get_by_role("button", name="Подтвердить публикацию").click()
    expect(page.get_by_test_id("case-status")).to_have_text("закрыто")
    timeline = page.get_by_test_id("timeline")
    for step in (
        "направлено куратором",
        "поступило исполнителю",
        "проект направлен на согласование",
        "проект возвращён на доработку",
        "доработанный проект направлен",
        "проект согласован",
        "опубликовано",
        "Ответ, подтверждено вручную: https://vk.com/wall-1_500?reply=501",
    ):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("Поздоровайтесь с автором")
    expect(page.get_by_role("link", name="https://vk.com/wall-1_500?reply=501")).to_be_visible()
