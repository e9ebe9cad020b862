"""The curator's morning in a browser (R-8.1, R-8.9): two messages about one pothole ticked in the inbox go into
one case to two bodies; a mistyped field keeps everything else chosen; the first body's executor opens the
editor on the kind of draft the case takes."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases.models import Case
from otklik.intake.models import Message
from tests.conftest import Personas
from tests.e2e.helpers import a_topic, choose_topic_and_place
from tests.e2e.test_case_workflow import logout
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_two_messages_ticked_in_the_inbox_become_one_case_for_two_bodies(
    page: Page, live_server: Any, personas: Personas
) -> None:
    base = live_server.url
    for n, text in enumerate(
        ("Яма на Ленина у школы, машины бьют колёса", "У школы на Ленина яма, дети падают")
    ):
        Message.objects.create(
            network="vk",
            external_id=f"wall-1_{600 + n}",
            url=f"https://vk.com/wall-1_{600 + n}",
            author_name="Анна",
            text=text,
        )
    Message.objects.create(
        network="vk", external_id="wall-1_700", author_name="Пётр", text="Спасибо за автобус"
    )

    a_topic()
    login(page, base, "curator")
    page.get_by_role("link", name="Входящие", exact=True).click()
    page.get_by_role("row").filter(has_text="машины бьют").get_by_role("checkbox").check()
    page.get_by_role("row").filter(has_text="дети падают").get_by_role("checkbox").check()
    page.get_by_role("button", name="Направить выбранные одним обращением").click()
    expect(page.get_by_role("heading", name="Направить сообщения одним обращением")).to_be_visible()
    expect(page.get_by_test_id("also")).to_contain_text("дети падают")  # the earliest written leads

    page.get_by_label("Орган 1").select_option(label="Комитет по дорожному хозяйству")
    page.get_by_label("Орган 2").select_option(label="Комитет по здравоохранению")
    choose_topic_and_place(page)
    page.get_by_label("Сокращённый срок, рабочих часов").fill("двa")
    page.get_by_role("button", name="Направить в работу").click()
    expect(page.get_by_role("alert")).to_contain_text("Сокращённый срок укажите числом часов")
    expect(page.get_by_label("Орган 1")).to_have_value(str(personas.roads.pk))
    expect(page.get_by_label("Орган 2")).to_have_value(str(personas.health.pk))
    expect(page.get_by_test_id("also").get_by_role("checkbox")).to_be_checked()

    page.get_by_label("Сокращённый срок, рабочих часов").fill("2")
    page.get_by_role("button", name="Направить в работу").click()
    expect(page.get_by_role("heading", name="Входящие сообщения")).to_be_visible()  # back to the next message
    page.locator("ul.messages").get_by_role("link").click()  # the notice links the new case
    expect(page.get_by_test_id("case-status")).to_have_text("подготовка проекта")
    expect(page.get_by_test_id("shortened")).to_have_text("сокращённый срок: 2 ч рабочего времени")
    case = Case.objects.get()
    assert case.messages.count() == 2
    logout(page)

    # roads goes first: its executor sends the body's information, which the editor already offers
    login(page, base, "dave")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_role("button", name="Подготовить проект").click()
    expect(page.locator("select[name=kind]")).to_have_value("part")
    expect(page.get_by_test_id("part-note")).to_be_visible()
    page.get_by_label("Текст").fill("Яму у школы на Ленина заделаем до 15 мая.")
    # the common answer by the last body: the information goes to that body's executor, not to the curator
    page.get_by_role("button", name="Направить информацию").click()
    expect(page.get_by_text("Информация органа направлена: общий ответ подготовит")).to_be_visible()
    expect(page.locator("tr[data-assignment]").filter(has_text="Дороги")).to_contain_text(
        "информация направлена"
    )
