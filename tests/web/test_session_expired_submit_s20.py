"""A working day through the web UI, and a session that ends while a form is filled in (a tab left open overnight).
Now a session lasts 4 hours from the person's last request (`SESSION_COOKIE_AGE`, renewed by use), so a working
day of activity never signs anyone out. A form sent after the session ended still goes to the sign-in page, which
says the form was not accepted and — in a browser where the person signed in before (session 20b:
`tests/web/test_signed_out_strangers_s20b.py`) — what was typed is kept; after signing in the person comes back to
the page the form was on (the Referer of this site, else the case page) — never to the form's POST-only address —
and that page says so, shows the text to copy and puts it back into the same form: the executor's answer typed in
the draft editor, the curator's comment of «Вернуть на доработку». No CSRF token or password is kept, another
person signing in on that browser does not get the text, and a form's address opened as a page leads to the page
above it with a note, not to the browser's English «HTTP ERROR 405» (R-4.2–4.3 sign-in; R-8.4–8.5 drafts and review:
nothing typed is lost).

Before, the sessions ended 12 hours after signing in whatever the person did; after signing in again the editor
opened empty (found live on case № 186) and the curator's return landed on an empty 405 with her comment lost
(case № 2). Found by a review (session 20)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from otklik.web.signed_out import KEPT, RENEW_EVERY, RENEWED
from tests.cases.helpers import dispatch
from tests.conftest import PASSWORD, Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ямы на дороге в Гатчине заделают до 15 мая: подрядчик уже на месте."
COMMENT = "Назовите дату ремонта"


def sign_in_again(client: Client, username: str, next_url: str) -> Any:
    """The sign-in form the expired session was sent to, filled in; the page it leads to."""
    response = client.post(
        f"{reverse('login')}?next={next_url}",
        {"username": username, "password": PASSWORD, "next": next_url},
        follow=True,
    )
    assert response.status_code != 405, "after signing in again: an empty «405 Method Not Allowed» page"
    assert response.status_code == 200
    return response


def next_of(location: str) -> str:
    """Where the sign-in page a redirect leads to will return."""
    parts = urlsplit(location)
    assert parts.path == reverse("login")
    return parse_qs(parts.query)["next"][0]


def signed_in_then_expired(username: str) -> Client:
    """A browser where ``username`` worked, whose session has ended (the session cookie gone, the browser's
    other cookies kept)."""
    browser = Client()
    assert browser.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    browser.cookies.pop(settings.SESSION_COOKIE_NAME)
    return browser


def to_review(personas: Personas) -> tuple[Case, Draft]:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    draft = actions.submit_draft(personas.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    case.refresh_from_db()
    return case, draft


def test_the_answer_typed_before_the_session_ended_is_there_after_signing_in(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    # the executor's tab: her session has ended, the editor with her text is still open
    expired = signed_in_then_expired("alice")
    response = expired.post(editor, {"kind": "answer", "text": ANSWER, "version": case.version})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert "Сеанс работы истёк" in expired.get(response["Location"]).content.decode()
    page = sign_in_again(expired, "alice", editor).content.decode()
    # Before: the editor opened again with an empty «Текст»; the answer was lost.
    assert ANSWER in page
    assert 'data-testid="typed-back"' in page and "Форма не была отправлена: сеанс работы истёк" in page
    # shown once: the next page is the editor as usual
    assert ANSWER not in expired.get(editor).content.decode()


def test_the_curators_return_sent_after_the_session_ended_leads_to_a_page(personas: Personas) -> None:
    case, draft = to_review(personas)
    review = reverse("cases:review", args=[case.pk, draft.pk])
    expired = signed_in_then_expired("curator")
    response = expired.post(review, {"decision": "return", "comment": COMMENT, "version": case.version})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    # the sign-in leads back to the case page, not to the POST-only address
    assert next_of(response["Location"]) == reverse("cases:detail", args=[case.pk])
    # Before: the sign-in led to GET on the POST-only review address, an empty 405 page.
    landed = sign_in_again(expired, "curator", review)
    assert landed.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    page = landed.content.decode()
    assert COMMENT in page
    assert "Ссылка вела на адрес кнопки формы" in page
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW  # nothing was decided by the form sent signed out


def test_the_sign_in_leads_back_to_the_page_of_this_site_the_form_was_on(personas: Personas) -> None:
    case, draft = to_review(personas)
    review = reverse("cases:review", args=[case.pk, draft.pk])
    on_page = Client().post(
        review,
        {"decision": "return", "comment": COMMENT},
        HTTP_REFERER=f"http://testserver{reverse('cases:review_queue')}?page=2",
    )
    assert on_page.status_code == 302
    assert next_of(on_page["Location"]) == f"{reverse('cases:review_queue')}?page=2"
    elsewhere = Client().post(
        review, {"decision": "return", "comment": COMMENT}, HTTP_REFERER="https://evil.example/cases/"
    )
    assert "evil.example" not in elsewhere["Location"]
    assert next_of(elsewhere["Location"]) == reverse("cases:detail", args=[case.pk])


def test_no_password_or_csrf_token_is_kept_and_typed_text_is_shown_escaped(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    expired = signed_in_then_expired("alice")
    expired.post(
        editor,
        {
            "csrfmiddlewaretoken": "a" * 64,
            "old_password": "секретный-пароль-1",
            "text": "<script>alert(1)</script> Здравствуйте!",
        },
    )
    kept = expired.session[KEPT]
    assert [name for name, _ in kept["fields"]] == ["text"]
    page = sign_in_again(expired, "alice", editor).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Здравствуйте!" in page
    assert "<script>alert(1)</script>" not in page
    assert "секретный-пароль-1" not in page


def test_another_person_signing_in_on_that_browser_does_not_get_the_text(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    browser = signed_in_then_expired("alice")
    assert browser.post(editor, {"text": ANSWER}).status_code == 302
    page = sign_in_again(browser, "bob", editor).content.decode()
    assert ANSWER not in page
    assert KEPT not in browser.session  # not kept for later either


def test_the_same_person_signing_in_on_that_browser_gets_the_text_back(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    browser = signed_in_then_expired("alice")
    browser.post(editor, {"text": ANSWER})
    assert ANSWER in sign_in_again(browser, "alice", editor).content.decode()


def test_signing_out_drops_a_kept_form(personas: Personas) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    browser = signed_in_then_expired("alice")
    browser.post(reverse("cases:draft", args=[case.pk]), {"text": ANSWER})
    assert KEPT in browser.session
    browser.force_login(personas.alice)
    browser.post(reverse("logout"))
    assert KEPT not in browser.session


def test_a_form_with_nothing_typed_keeps_nothing(personas: Personas) -> None:
    case, draft = to_review(personas)
    browser = signed_in_then_expired("curator")
    response = browser.post(
        reverse("cases:review", args=[case.pk, draft.pk]), {"decision": "approve", "version": case.version}
    )
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert KEPT not in browser.session
    # the sign-in page says the approval was not made, and promises no text
    page = browser.get(response["Location"]).content.decode()
    assert "отправленная форма не принята: войдите и отправьте её снова" in page
    assert "сохранён" not in page


def test_a_form_address_opened_as_a_page_leads_to_the_page_above_it(personas: Personas) -> None:
    case, draft = to_review(personas)
    curator = Client()
    curator.force_login(personas.curator)
    response = curator.get(reverse("cases:review", args=[case.pk, draft.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert "Ссылка вела на адрес кнопки формы" in curator.get(response["Location"]).content.decode()
    # a network's webhook answers a wrong method as before
    assert Client().get(reverse("integrations:vk_callback")).status_code == 405


def test_the_session_is_renewed_by_use(personas: Personas) -> None:
    assert settings.SESSION_COOKIE_AGE == 4 * 60 * 60
    browser = Client()
    browser.force_login(personas.alice)
    session = browser.session
    session[RENEWED] = int(time.time()) - RENEW_EVERY - 1
    session.save()
    # the session would end in a minute: the person has not sent a request for almost 4 hours
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now() + timedelta(minutes=1))
    response = browser.get(reverse("home"))
    assert response.status_code == 200
    row = Session.objects.get(pk=browser.session.session_key)
    assert row.expire_date > timezone.now() + timedelta(hours=3, minutes=59)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 4 * 60 * 60
    # the next request within 5 minutes does not write the session again
    assert settings.SESSION_COOKIE_NAME not in browser.get(reverse("home")).cookies
