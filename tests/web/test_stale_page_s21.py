"""A form refused by Django's CSRF check gets a page of the site in Russian, or better (R-4.2–4.3 sign-in; R-8.4–8.5
nothing typed lost; `CSRF_FAILURE_VIEW` = `web.stale_page`). Two everyday ways there, both without any attacker:
- two sign-in pages open (both tabs went to the sign-in page when the session ended): she signs in in one, then in
  the other — the second tab's sign-in now takes her to the desktop, as she is signed in already;
- a form sent with no CSRF cookie at all (the browser's cookies cleared while the page was open), where the browser
  named no page of this site as the sender: a page «Страница устарела» in the site's layout, saying what happened
  and how to get the text back («Назад»), with a link to the desktop — nothing kept from a sender not known.
Sent from a page of this site (the browser's Origin, checked by Django) by a person signed in, the form's text is
kept with the signed-out storage (no password, no token, at most 20 000 characters) and put back on the page it was
sent from. Before, Django's own page answered: «Ошибка доступа (403)», «Ошибка проверки CSRF. Запрос отклонён.»,
«…DEBUG=True», marked html lang="en" and titled «403 Forbidden» — no menu, no link, nothing of what to do.
Found by a review (session 21)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from otklik.web.signed_out import KEPT, MAX_KEPT_CHARS
from otklik.web.stale_page import SAID_HEADER
from tests.cases.helpers import dispatch, message
from tests.conftest import PASSWORD, Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ямы на дороге в Гатчине заделают до 15 мая: подрядчик уже на месте."
TECHNICAL = ("CSRF", "DEBUG", "Forbidden", "cookie", "same-orign")


def token_of(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def problems_of(html: str) -> list[str]:
    """What makes a refusal page unfit for a civil servant: English or developer's words, not the site's page."""
    found = [f"names «{word}»" for word in TECHNICAL if word in html]
    if 'lang="ru"' not in html:
        found.append('not marked lang="ru"')
    if not re.search(r'<a [^>]*href="/"', html):
        found.append("no link to the home page (a dead end)")
    return found


def test_signing_in_in_the_second_of_two_sign_in_tabs_gets_a_russian_page(personas: Personas) -> None:
    browser = Client(enforce_csrf_checks=True)
    tab_a = browser.get(reverse("login")).content.decode()
    tab_b = browser.get(reverse("login")).content.decode()  # the other tab, loaded at the same time
    signed_in = browser.post(
        reverse("login"),
        {"username": "curator", "password": PASSWORD, "csrfmiddlewaretoken": token_of(tab_a)},
    )
    assert signed_in.status_code == 302
    second = browser.post(
        reverse("login"),
        {"username": "curator", "password": PASSWORD, "csrfmiddlewaretoken": token_of(tab_b)},
    )
    # taken to the desktop (she is signed in already), not to a refusal
    assert second.status_code == 302, second.content.decode()[-900:]
    assert second["Location"] == reverse("home")
    assert "Рабочий стол" in browser.get(second["Location"]).content.decode()


def test_a_form_sent_without_the_csrf_cookie_gets_a_russian_page_that_keeps_the_text(
    personas: Personas,
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    browser.post(reverse("login"), {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token})
    form_token = token_of(browser.get(editor).content.decode())
    del browser.cookies[settings.CSRF_COOKIE_NAME]
    response = browser.post(
        editor, {"csrfmiddlewaretoken": form_token, "kind": "answer", "text": ANSWER}, follow=True
    )
    html = response.content.decode()
    found = problems_of(html)
    if ANSWER not in html and "«Назад»" not in html:
        found.append("neither shows what she typed nor says how to get it back")
    assert found == [], f"{response.status_code}: {found}\n{html[-900:]}"
    # no browser named the sender: the page says the way back, and nothing of the text is kept
    assert response.status_code == 403 and "«Назад»" in html and "Страница устарела" in html
    assert KEPT not in browser.session


ORIGIN = "http://testserver"


def signed_in_with_a_stale_token(username: str) -> tuple[Client, str]:
    """A browser signed in as ``username`` whose CSRF cookie changed after a page was opened (as signing in again
    in another tab does), and a token of that old page."""
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    browser.post(reverse("login"), {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    stale = token_of(browser.get(reverse("home")).content.decode())
    browser.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32  # another token now
    return browser, stale


def test_a_form_sent_from_a_page_of_this_site_comes_back_filled_on_that_page(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    browser, stale = signed_in_with_a_stale_token("alice")
    response = browser.post(
        editor,
        {"csrfmiddlewaretoken": stale, "kind": "answer", "text": ANSWER, "password": "секрет-123"},
        HTTP_ORIGIN=ORIGIN,
        HTTP_REFERER=f"{ORIGIN}{editor}",
    )
    assert response.status_code == 302 and response["Location"] == editor
    kept = browser.session[KEPT]
    assert kept["why"] == "stale" and kept["action"] == editor and kept["owner"] == str(personas.alice.pk)
    assert ["text", ANSWER] in kept["fields"]
    assert not any(name in ("csrfmiddlewaretoken", "password") for name, _ in kept["fields"])
    page = browser.get(editor).content.decode()
    assert "Страница устарела: форма не отправлена" in page and ANSWER in page
    assert KEPT not in browser.session  # shown once
    assert not case.drafts.exists()


def test_what_is_kept_from_a_stale_page_is_cut_at_the_same_limit(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    browser, stale = signed_in_with_a_stale_token("alice")
    browser.post(
        editor,
        {"csrfmiddlewaretoken": stale, "kind": "answer", "text": "Ямы заделают. " * 3000},
        HTTP_ORIGIN=ORIGIN,
    )
    kept = browser.session[KEPT]
    assert kept["cut"] is True
    assert sum(len(name) + len(value) for name, value in kept["fields"]) <= MAX_KEPT_CHARS + 200


def test_a_form_another_site_sent_keeps_nothing_and_gets_the_page(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    browser, stale = signed_in_with_a_stale_token("alice")
    response = browser.post(
        reverse("cases:draft", args=[case.pk]),
        {"csrfmiddlewaretoken": stale, "kind": "answer", "text": "Текст чужого сайта"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert problems_of(response.content.decode()) == []
    assert KEPT not in browser.session


def test_an_in_place_request_from_a_stale_page_gets_a_russian_note_to_swap_in(personas: Personas) -> None:
    msg = message("На Соборной в Гатчине прорвало трубу")
    browser, stale = signed_in_with_a_stale_token("curator")
    response = browser.post(
        reverse("notify:significant"),
        {"message": msg.pk, "note": "Угроза детям"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=stale,
        HTTP_ORIGIN=ORIGIN,
    )
    assert response.status_code == 403 and response[SAID_HEADER] == "1"
    note = response.content.decode()
    assert 'role="alert"' in note and "ничего не отправлено" in note and "Обновите страницу" in note
    assert ["note", "Угроза детям"] in browser.session[KEPT]["fields"]


def test_a_stale_sign_in_page_of_a_browser_signed_out_leads_to_the_sign_in_page_again(db: None) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    response = browser.post(
        reverse("login"), {"username": "curator", "password": PASSWORD, "csrfmiddlewaretoken": "y" * 32}
    )
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "Страница входа устарела" in browser.get(reverse("login")).content.decode()


def test_a_button_with_nothing_typed_leads_back_with_a_note(personas: Personas) -> None:
    browser, stale = signed_in_with_a_stale_token("alice")
    response = browser.post(
        reverse("cases:notifications"),
        {"csrfmiddlewaretoken": stale, "mail_notices": "1"},
        HTTP_ORIGIN=ORIGIN,
        HTTP_REFERER=f"{ORIGIN}{reverse('cases:notifications')}",
        follow=True,
    )
    assert response.redirect_chain[0][0] == reverse("cases:notifications")
    assert "действие не выполнено. Повторите его на этой странице" in response.content.decode()
