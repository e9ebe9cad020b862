"""A curator's busy hour in a browser (R-8.1, R-14, R-8.5): two messages ticked in the inbox, one of them taken by
a colleague before «Направить в работу»; the message marked significant from the page it is read on; the case
approved from the review queue."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases import actions
from otklik.cases.models import CaseMessage
from otklik.intake.models import Message
from otklik.notify.models import Alert
from tests.conftest import Personas
from tests.e2e.helpers import a_topic, choose_topic_and_place
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_message_taken_meanwhile_is_named_and_the_other_is_marked_significant_and_sent(
    page: Page, live_server: Any, personas: Personas
) -> None:
    base = live_server.url
    mine, theirs = (  # Анна wrote first: hers leads the combined case (the earliest written)
        Message.objects.create(
            network="vk",
            external_id=f"wall-1_{800 + n}",
            url=f"https://vk.com/wall-1_{800 + n}",
            author_name=author,
            text=text,
        )
        for n, (author, text) in enumerate(
            (
                ("Анна", "В Кировске третий день нет воды, в больнице тоже"),
                ("Олег", "Кировск без воды уже три дня, когда дадут?"),
            )
        )
    )

    a_topic()
    login(page, base, "curator")
    page.get_by_role("link", name="Входящие", exact=True).click()
    page.get_by_role("row").filter(has_text="в больнице тоже").get_by_role("checkbox").check()
    page.get_by_role("row").filter(has_text="когда дадут").get_by_role("checkbox").check()
    page.get_by_role("button", name="Направить выбранные одним обращением").click()
    expect(page.get_by_test_id("also")).to_contain_text("когда дадут")
    page.get_by_label("Орган 1").select_option(label="Комитет по здравоохранению")
    choose_topic_and_place(page)

    # a colleague sends the second message on its own meanwhile
    taken = actions.dispatch_case(personas.curator, [theirs], [actions.Route(personas.roads, 1)])
    page.get_by_role("button", name="Направить в работу").click()
    expect(page.locator("ul.messages")).to_contain_text(f"уже направлено: обращение № {taken.pk}")
    assert not CaseMessage.objects.filter(message=mine).exists()
    expect(page.get_by_test_id("also")).to_have_count(0)

    # the hospital without water is marked on the spot, with a comment
    page.get_by_text("Общественно значимое (п. 14)").click()
    page.get_by_label("Пояснение для аппарата Губернатора").fill("Больница без воды")
    page.get_by_role("button", name="Отметить как общественно значимое").click()
    expect(page.get_by_test_id("said")).to_contain_text("Оповещение отправлено в аппарат Губернатора")
    expect(page.get_by_test_id("significant")).to_contain_text("отмечено")
    assert Alert.objects.filter(kind=Alert.Kind.SIGNIFICANT, message=mine).count() == 1

    page.get_by_label("Орган 1").select_option(label="Комитет по здравоохранению")
    choose_topic_and_place(page)
    page.get_by_role("button", name="Направить в работу").click()
    expect(page.get_by_role("heading", name="Входящие сообщения")).to_be_visible()  # back to the next message
    page.locator("ul.messages").get_by_role("link").click()  # the notice links the new case
    expect(page.get_by_test_id("case-status")).to_have_text("подготовка проекта")
    expect(page.get_by_test_id("significant")).to_contain_text("отмечено")  # the case knows its alert
    case = CaseMessage.objects.get(message=mine).case
    assert list(case.messages.all()) == [mine]


def test_r8_1_the_dispatch_button_is_in_sight_without_scrolling(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.1 (a walk: «Направить в работу» lay at y≈1040 on a 1366×768 screen, a scroll for every message): the
    button stays at the bottom of the window while the form is taller than it, and the form is sent from there."""
    page.set_viewport_size({"width": 1366, "height": 768})
    Message.objects.create(
        network="vk",
        external_id="wall-1_900",
        url="https://vk.com/wall-1_900",
        author_name="Олег",
        text="Нет воды",
    )
    a_topic()
    login(page, live_server.url, "curator")
    page.get_by_role("link", name="Входящие", exact=True).click()
    page.get_by_role("row").filter(has_text="Нет воды").get_by_role("button", name="Направить").click()
    # The form's height depends on the machine's fonts (a CI machine laid it out in 768 px): the window is made
    # shorter than the form, 768 px at most, as on the laptop of the walk.
    page.set_viewport_size({"width": 1366, "height": 2000})
    form_height = page.evaluate("document.documentElement.scrollHeight")
    height = min(768, form_height - 200)
    page.set_viewport_size({"width": 1366, "height": height})
    taller = page.evaluate("document.documentElement.scrollHeight")
    assert taller > height  # the form is taller than the window
    button = page.get_by_role("button", name="Направить в работу")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height
    page.get_by_label("Орган 1").select_option(label="Комитет по здравоохранению")
    choose_topic_and_place(page)
    button.click()
    expect(page.locator("ul.messages")).to_contain_text("направлено")
