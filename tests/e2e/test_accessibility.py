"""Staff pages for people who work by keyboard, with a screen reader or a magnifier (ГОСТ Р 52872-2019, WCAG 2.1
AA; R-8.1, R-8.4): axe-core finds no violation of WCAG 2.0/2.1 A and AA on the pages of a case's day, in the light
and the dark theme; a refused form announces its error and puts the focus on the field; «К содержимому» skips the
menus; a link drawn as a button opens with Space; the keyboard focus is seen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.org.models import Body
from tests.cases.helpers import approved, message, vk_comment
from tests.conftest import Personas
from tests.e2e.helpers import a_topic, choose_topic_and_place
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _violations(page: Page) -> list[str]:
    found = Axe().run(page, options=WCAG_AA).response["violations"]
    return [f"{page.url} {v['id']}: {v['nodes'][0]['target']} — {v['help']}" for v in found]


def _a_case(p: Personas) -> Case:
    return actions.dispatch_case(
        p.curator,
        [message("На Соборной в Гатчине третий день не горят фонари, детям темно идти в школу")],
        [actions.Route(p.health, 1)],
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_wcag_aa_on_the_pages_of_a_cases_day(
    page: Page, live_server: Any, personas: Personas, scheme: str
) -> None:
    a_topic()
    case = _a_case(personas)
    waiting = message("Яма на Киевском шоссе у поворота на Кобралово")
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    base = live_server.url
    problems: list[str] = []

    login(page, base, "curator")
    for url in (
        "/",
        reverse("cases:inbox"),
        reverse("cases:dispatch", args=[waiting.pk]),
        reverse("cases:list"),
    ):
        page.goto(base + url)
        problems += _violations(page)
    # a refusal on the dispatch form (a repeat's number in letters): the message box as well
    page.goto(base + reverse("cases:dispatch", args=[waiting.pk]))
    page.get_by_label("Повтор обращения").fill("сто")
    page.get_by_label("Орган 1").select_option(label="Комитет по дорожному хозяйству")
    choose_topic_and_place(page)
    page.get_by_role("button", name="Направить в работу").click()
    expect(page.locator("ul.messages li.error")).to_be_visible()
    problems += _violations(page)

    page.context.clear_cookies()
    login(page, base, "alice")
    for url in ("/", reverse("cases:my_queue"), reverse("cases:detail", args=[case.pk])):
        page.goto(base + url)
        problems += _violations(page)
    page.goto(base + reverse("cases:draft", args=[case.pk]))
    page.get_by_label("Текст").fill("Здравствуйте, Ирина! Фонари на Соборной включат сегодня к 18:00.")
    expect(page.get_by_test_id("answer-score")).to_be_visible()
    problems += _violations(page)
    assert problems == [], "\n".join(problems)


def test_a_refused_dispatch_announces_the_error_and_focuses_the_field(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.1: the curator types the repeated case's number in letters; the server refuses. The page's title says
    «Ошибка», the message is an alert, and the focus is on the field, marked invalid and described by the message —
    not at the top of the page behind two menus."""
    a_topic()
    waiting = message("Яма на Киевском шоссе у поворота на Кобралово")
    login(page, live_server.url, "curator")
    page.goto(live_server.url + reverse("cases:dispatch", args=[waiting.pk]))
    page.get_by_label("Повтор обращения").fill("сто")
    page.get_by_label("Орган 1").select_option(label="Комитет по дорожному хозяйству")
    choose_topic_and_place(page)
    page.get_by_role("button", name="Направить в работу").click()

    expect(page).to_have_title(re.compile(r"^Ошибка: "))
    expect(page.get_by_role("alert")).to_contain_text("Номер повторяемого обращения укажите цифрами")
    field = page.get_by_label("Повтор обращения")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", "field-error")
    expect(field).to_have_value("сто")  # what was typed is kept
    # focusing the field scrolls the page: the reason stands beside it too, in sight
    reason = page.locator("#field-error")
    expect(reason).to_have_text("Номер повторяемого обращения укажите цифрами, например 125.")
    expect(reason).to_be_in_viewport()


def test_the_keyboard_skips_the_menus_and_presses_link_buttons_with_space(
    page: Page, live_server: Any, personas: Personas
) -> None:
    a_topic()
    waiting = message("Яма на Киевском шоссе у поворота на Кобралово")
    login(page, live_server.url, "curator")
    page.goto(live_server.url + reverse("cases:inbox"))

    page.keyboard.press("Tab")  # the first stop: past the two menus at once
    skip = page.get_by_role("link", name="К содержимому")
    expect(skip).to_be_focused()
    # the focus ring is the strong blue, not Pico's pale one (1.8:1 against white)
    assert skip.evaluate("e => getComputedStyle(e).outlineColor") == "rgb(11, 92, 173)"
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()

    send = page.get_by_role("button", name=f"Направить сообщение № {waiting.pk}")
    send.focus()
    page.keyboard.press(" ")
    expect(page).to_have_url(re.compile(rf"/cases/inbox/{waiting.pk}/dispatch/"))


def test_a_message_box_stays_readable_in_the_dark_theme(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """Pico turns the page dark with the system's theme; the refusal's light box keeps dark text (it had
    Pico's light text on it: 1.6:1)."""
    a_topic()
    waiting = message("Яма на Киевском шоссе у поворота на Кобралово")
    page.emulate_media(color_scheme="dark")
    login(page, live_server.url, "curator")
    page.goto(live_server.url + reverse("cases:dispatch", args=[waiting.pk]))
    page.get_by_label("Повтор обращения").fill("сто")
    page.get_by_label("Орган 1").select_option(label="Комитет по дорожному хозяйству")
    choose_topic_and_place(page)
    page.get_by_role("button", name="Направить в работу").click()
    box = page.locator("ul.messages li.error")
    assert box.evaluate("e => getComputedStyle(e).color") == "rgb(35, 38, 44)"
    assert box.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(254, 242, 242)"


def test_an_empty_required_field_is_named_in_russian_in_an_english_browser(
    browser: Any, live_server: Any, personas: Personas
) -> None:
    """R-8.1: the dispatch form without a topic is stopped by the browser itself; a browser set to English said
    «Please select an item in the list.» — the page says it in Russian whatever the browser's language, and the
    message goes when a topic is chosen."""
    a_topic()
    waiting = message("Яма на Киевском шоссе у поворота на Кобралово")
    context = browser.new_context(locale="en-US", timezone_id="Europe/Moscow")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        login(page, live_server.url, "curator")
        page.goto(live_server.url + reverse("cases:dispatch", args=[waiting.pk]))
        page.get_by_label("Орган 1").select_option(label="Комитет по дорожному хозяйству")
        page.get_by_label("Тема").select_option(value="")
        page.get_by_label("Место").select_option(label="Ленинградская область в целом")
        page.get_by_role("button", name="Направить в работу").click()
        topic = page.get_by_label("Тема")
        assert topic.evaluate("e => e.validationMessage") == "Выберите значение из списка."
        assert page.url.endswith(f"/cases/inbox/{waiting.pk}/dispatch/")  # nothing was sent
        choose_topic_and_place(page)
        assert topic.evaluate("e => e.validationMessage") == ""
        page.get_by_role("button", name="Направить в работу").click()
        expect(page.locator("ul.messages")).to_contain_text("направлено")
    finally:
        context.close()


def test_a_link_to_a_new_tab_says_so(page: Page, live_server: Any, personas: Personas) -> None:
    """The inbox's «источник» opens the network's page in a new tab: a screen reader says it before the tab
    changes under the person."""
    message("Яма на Киевском шоссе у поворота на Кобралово")
    login(page, live_server.url, "curator")
    page.goto(live_server.url + reverse("cases:inbox"))
    source = page.locator('a[target="_blank"]').first
    expect(source).to_have_accessible_name(re.compile(r"\(откроется в новой вкладке\)$"))
    assert source.evaluate("e => e.querySelector('.new-tab').getBoundingClientRect().width") <= 1  # not seen


def test_a_requirement_lifted_by_a_change_no_longer_blocks_the_form(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.10, R-8.4: a repeat's answer needs its measures, a clarification request does not. The executor sends an
    answer without measures (stopped, in Russian), then makes it a clarification request: the next click sends it
    (the lifted requirement's message stayed and blocked the form once more)."""
    p = personas
    earlier = _a_case(p)
    case = actions.dispatch_case(
        p.curator,
        [message("Фонари на Соборной опять не горят, писал уже")],
        [actions.Route(p.health, 1)],
        repeat_of=earlier,
    )
    login(page, live_server.url, "alice")
    page.goto(live_server.url + reverse("cases:draft", args=[case.pk]))
    page.locator("textarea[name=text]").fill("Ирина, здравствуйте! Уточните, пожалуйста, номер дома.")
    page.get_by_role("button", name="Направить куратору").click()
    measures = page.locator("textarea[name=measures]")
    assert measures.evaluate("e => e.validationMessage") == "Заполните это поле."
    page.locator("select[name=kind]").select_option(label="запрос (уточнение)")
    # the form is sent and taken (a redirect to the case page), told apart from a form the browser still holds back
    # (no request) and from a refusal (400 with its reason); a loaded machine may take longer than expect's 5 s
    draft_url = reverse("cases:draft", args=[case.pk])
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith(draft_url)) as sent:
        page.get_by_role("button", name="Направить куратору").click()
    assert sent.value.status == 302, sent.value.text()
    page.wait_for_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("ul.messages")).to_contain_text("Проект направлен куратору.")
    assert case.drafts.filter(kind="clarification").count() == 1


def test_an_empty_body_chosen_is_said_beside_the_list(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-6: a long name cuts «(нет сотрудников)» off the closed list; the form says it beside the list."""
    a_topic()
    Body.objects.create(name="Комитет по транспорту Ленинградской области")
    waiting = message("Автобус до Лукашей ходит два раза в день")
    login(page, live_server.url, "curator")
    page.goto(live_server.url + reverse("cases:dispatch", args=[waiting.pk]))
    page.get_by_label("Орган 1").select_option(
        label="Комитет по транспорту Ленинградской области (нет сотрудников)"
    )
    expect(page.locator("small.empty-body")).to_have_text(
        "В этом органе нет сотрудников: обращение никто не возьмёт, пока их не внесут."
    )
    page.get_by_label("Орган 1").select_option(label="Комитет по дорожному хозяйству")
    expect(page.locator("small.empty-body")).to_have_count(0)


def test_a_refused_link_under_the_other_author_is_the_field_focused(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.7: a case of two authors published by hand; the executor pastes an OK link under Олег's message of a VK
    case. The focus goes to that link — not the first — marked invalid, the reason beside it."""
    oleg = vk_comment(11, "Олег")
    case, draft = approved(
        personas, [vk_comment(10, "Ирина"), oleg], "Здравствуйте! Крышу отремонтируют до 15 декабря."
    )
    login(page, live_server.url, "alice")
    page.goto(live_server.url + reverse("cases:publish", args=[case.pk, draft.pk]))
    page.locator("input[name=url]").fill("https://vk.com/wall-1_1?reply=20")
    page.locator(f"input[name=also_{oleg.pk}]").fill("https://ok.ru/group/53/topic/777")
    page.get_by_role("button", name=re.compile("Подтвердить")).click()

    expect(page).to_have_title(re.compile(r"^Ошибка: "))
    field = page.locator(f"input[name=also_{oleg.pk}]")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-error")).to_contain_text("Ответ размещается в той же сети")
    expect(page.locator("input[name=url]")).not_to_have_attribute("aria-invalid", "true")


def test_a_rejection_without_a_reason_focuses_that_reason(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.2: the executor reports «не наша компетенция» with a reason of spaces (the browser's «required» lets it
    go). The refusal puts the focus on that form's reason (by its id: the curator's case page has another «Причина»,
    for closing), marked invalid, the reason of the refusal beside it."""
    case = _a_case(personas)
    login(page, live_server.url, "alice")
    page.goto(live_server.url + reverse("cases:detail", args=[case.pk]))
    page.get_by_text("Не наша компетенция").click()
    page.get_by_label("Причина (п. 8.2: в течение 60 минут)").fill("   ")
    page.get_by_role("button", name="Сообщить куратору").click()

    expect(page).to_have_title(re.compile(r"^Ошибка: "))
    field = page.get_by_label("Причина (п. 8.2: в течение 60 минут)")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-error")).to_have_text(
        "Укажите, почему вопрос не относится к компетенции органа."
    )
