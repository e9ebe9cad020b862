"""In a browser: a person works in two tabs and signs out and in again in one of them (or signs in again in another
tab after her session ended, as the site's note «войдите в Отклик заново в другой вкладке, затем повторите» tells
her). Django gives the browser a new CSRF token at every sign-in, so every form still open in the other tab carries
a stale one and is refused by the CSRF check.

What she now sees (R-8.4–8.5: nothing typed is lost; R-14: the Governor's office alerted or the curator told it was
not): a form sent from the stale tab brings her back to the same page of the site, in Russian, whose notice says
«Страница устарела: форма не отправлена … текст восстановлен — отправьте ещё раз», with what she typed back in the
same form (`web.stale_page` keeps it with `web.signed_out`'s storage); sent again, it goes. The in-place mark
«Отметить как общественно значимое» says that nothing was sent and to reload the page, where the explanation she
typed is back in its field. Before, Django's bare English-layout «403 Forbidden · Ошибка проверки CSRF» page
replaced the form, and the in-place mark answered nothing at all.
Found by a review (session 21)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases import actions
from otklik.cases.models import Draft, Review
from otklik.notify.models import Alert
from tests.cases.helpers import dispatch, message
from tests.conftest import PASSWORD, Personas, msk
from tests.e2e.helpers import a_topic
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANSWER = "Здравствуйте, Ирина! Ямы на дороге в Гатчине заделают до 15 мая: подрядчик уже на месте."
COMMENT = "Назовите точную дату ремонта и название подрядчика, иначе автор спросит снова"

# what Django's own CSRF failure page says; none of it tells a person what to do
TECHNICAL = ("CSRF", "DEBUG", "Forbidden", "cookie")


def sign_out_and_in_in_another_tab(page: Page, base: str, username: str) -> None:
    """Tab A of the same browser: «Выйти», then the sign-in form again (the CSRF token rotates)."""
    tab = page.context.new_page()
    tab.goto(f"{base}/")
    tab.get_by_role("button", name="Выйти").click()
    tab.get_by_label("Имя пользователя").fill(username)
    tab.get_by_label("Пароль").fill(PASSWORD)
    tab.get_by_role("button", name="Войти").click()
    expect(tab.get_by_role("heading", name="Рабочий стол")).to_be_visible()
    tab.close()


def shown_anywhere(page: Page, text: str) -> bool:
    """Whether ``text`` is on the page: as text, or in a field (a textarea to copy it from, the form put back)."""
    return bool(
        page.evaluate(
            """(text) => document.body.innerText.includes(text)
                || [...document.querySelectorAll('textarea, input')].some(f => (f.value || '').includes(text))""",
            text,
        )
    )


def assert_a_russian_page_of_the_site(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    body = page.locator("body").inner_text()
    title = page.title()
    found = [word for word in TECHNICAL if word in body or word in title]
    assert found == [], f"the page names {found} to a civil servant: «{title}» {body[:400]!r}"
    # a way on: at least the home page, as every other error page of the site has
    assert page.get_by_role("link").count() > 0, f"a dead end with no link: {body[:200]!r}"


def assert_the_text_is_shown_or_the_way_back_is_said(page: Page, text: str) -> None:
    """What she typed is on the page she got — back in the same form, the notice saying the page was stale."""
    body = page.locator("body").inner_text()
    assert shown_anywhere(page, text), f"the page does not show what she typed: {body[:300]!r}"
    notice = page.get_by_test_id("typed-back")
    expect(notice).to_contain_text("Страница устарела")
    expect(notice).to_contain_text(re.compile(r"текст восстановлен .*отправьте ещё раз"))


def test_the_executors_answer_sent_from_the_other_tab_after_signing_in_again_is_not_lost(
    page: Page, live_server: Any, personas: Personas
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/cases/{case.pk}/draft/")
    page.get_by_label("Текст").fill(ANSWER)
    sign_out_and_in_in_another_tab(page, live_server.url, "alice")
    page.get_by_role("button", name="Направить куратору").click()
    page.wait_for_load_state()
    assert_a_russian_page_of_the_site(page)
    assert_the_text_is_shown_or_the_way_back_is_said(page, ANSWER)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/draft/$"))
    expect(page.get_by_label("Текст", exact=True)).to_have_value(ANSWER)
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")
    assert Draft.objects.get(case=case).text == ANSWER


def test_the_curators_return_comment_sent_from_the_other_tab_after_signing_in_again_is_not_lost(
    page: Page, live_server: Any, personas: Personas
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(personas.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_label("Комментарий").fill(COMMENT)
    sign_out_and_in_in_another_tab(page, live_server.url, "curator")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.wait_for_load_state()
    assert_a_russian_page_of_the_site(page)
    assert_the_text_is_shown_or_the_way_back_is_said(page, COMMENT)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_label("Комментарий")).to_have_value(COMMENT)
    page.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на доработке")
    assert Review.objects.get(draft__case=case).comment == COMMENT


def test_a_significance_mark_from_the_other_tab_says_it_was_not_sent(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-14: «Отметить как общественно значимое» on the dispatch page is sent in place (htmx). From a tab whose token
    went stale the request is refused 403 and htmx shows nothing: no alert is raised and the curator is not told."""
    a_topic()
    msg = message("На Соборной в Гатчине прорвало трубу, кипятком залило двор детского сада")
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/cases/inbox/{msg.pk}/dispatch/")
    page.get_by_test_id("significant").locator("summary").click()
    page.get_by_label("Пояснение для аппарата Губернатора").fill("Угроза детям, нужна реакция сегодня")
    sign_out_and_in_in_another_tab(page, live_server.url, "curator")
    page.get_by_role("button", name="Отметить как общественно значимое").click()
    said = page.locator("#significant-said")
    try:
        expect(said).not_to_be_empty(timeout=5_000)
    except AssertionError:
        pytest.fail(
            f"nothing said after the mark (alerts raised: {Alert.objects.count()}): the curator is not told that "
            "the Governor's office was not alerted"
        )
    assert Alert.objects.count() == 0
    expect(said).to_contain_text(re.compile(r"не отправлен|не принят|обновите|снова", re.I))
    # reloaded, the page has her explanation back in its field, and the mark goes
    page.reload()
    expect(page.get_by_test_id("typed-back")).to_contain_text("Страница устарела")
    expect(page.get_by_label("Пояснение для аппарата Губернатора")).to_have_value(
        "Угроза детям, нужна реакция сегодня"
    )
    page.get_by_role("button", name="Отметить как общественно значимое").click()
    expect(said).not_to_contain_text("устарела")
    expect(said).not_to_be_empty()
    assert Alert.objects.count() == 1
