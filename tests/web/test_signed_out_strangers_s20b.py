"""A form sent after the session ended is kept on the server only for a browser where somebody signed in before
(R-4.2–4.3 sign-in; «nothing lost»).

Now the text of a form sent signed out is kept — for after the sign-in — only when the browser carries a valid
signed `otklik_signed_in_as` cookie (somebody signed in there, within the last 30 days of use: the person whose
session ended), and at most 20 000 characters of it: the rest is dropped and the text put back ends with a note that
it was cut, which the first page after signing in says too. A browser without that cookie — a stranger, a script
that only fetched the sign-in page for its CSRF cookie — has nothing stored for it: its sign-in page says plainly
that the form was not accepted and its text not kept.

Before, every cookie-less POST of a text field to any address behind the sign-in (the site is reachable from
outside for the VK and Telegram webhooks) made a session row of up to 200 000 characters, kept 4 hours.
Found by a review (session 20b).
"""

from __future__ import annotations

import random
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse

from otklik.web.signed_out import CUT_NOTE, KEPT, MAX_KEPT_CHARS, SIGNED_IN_AS
from tests.cases.helpers import dispatch
from tests.conftest import PASSWORD, Personas, msk

pytestmark = pytest.mark.django_db

LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя "


def words(n: int, seed: int = 20) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(LETTERS) for _ in range(n))


def test_a_stranger_who_never_signed_in_cannot_fill_the_sessions_table(db: None) -> None:
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(reverse("login"))
    token = stranger.cookies[settings.CSRF_COOKIE_NAME].value
    text = words(150_000)
    for n in range(1, 21):
        stranger.cookies.pop(settings.SESSION_COOKIE_NAME, None)  # a script keeps no session cookie
        response = stranger.post(
            reverse("cases:draft", args=[100_000 + n]),
            {"csrfmiddlewaretoken": token, "text": text},
        )
        assert response.status_code == 302  # to the sign-in page, as for anybody signed out
    rows = Session.objects.count()
    size = sum(len(s.session_data) for s in Session.objects.all())
    assert rows == 0, (
        f"20 anonymous POSTs from a browser that never signed in left {rows} session rows, "
        f"{size // 1024} KiB of session data"
    )


def test_the_sign_in_page_of_a_browser_without_a_sign_in_says_the_form_was_not_accepted(
    personas: Personas,
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    browser = Client()
    response = browser.post(reverse("cases:draft", args=[case.pk]), {"text": "Здравствуйте, Ирина!"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    page = browser.get(response["Location"]).content.decode()
    assert 'data-testid="form-not-kept"' in page
    assert "отправленная форма не принята" in page and "Введённый в неё текст не сохранён" in page
    assert 'data-testid="form-kept"' not in page and "сохранён в этом браузере" not in page
    assert Session.objects.count() == 0
    # signing in leads back to the case's page, with nothing put back
    landed = browser.post(
        response["Location"],
        {"username": "alice", "password": PASSWORD, "next": f"/cases/{case.pk}/"},
        follow=True,
    )
    assert landed.status_code == 200 and 'data-testid="typed-back"' not in landed.content.decode()


def test_a_long_form_is_kept_cut_with_a_note_for_the_person_who_worked_in_the_browser(
    personas: Personas,
) -> None:
    case = dispatch(personas.curator, personas.health, at=msk(2025, 4, 28, 10, 0))
    editor = reverse("cases:draft", args=[case.pk])
    browser = Client()
    assert browser.post(reverse("login"), {"username": "alice", "password": PASSWORD}).status_code == 302
    browser.cookies.pop(settings.SESSION_COOKIE_NAME)  # the session ended
    text = words(150_000)
    response = browser.post(editor, {"kind": "answer", "text": text, "measures": "Подрядчик на месте"})
    assert response.status_code == 302
    kept = browser.session[KEPT]
    assert kept["cut"] is True
    (name, value), *rest = [f for f in kept["fields"] if f[0] != "kind"]
    assert name == "text" and rest == []  # the fields after the limit are dropped
    assert value.endswith(CUT_NOTE) and value.startswith(text[:19_000])
    assert sum(len(n) + len(v) for n, v in kept["fields"]) <= MAX_KEPT_CHARS + len(CUT_NOTE)
    assert sum(len(s.session_data) for s in Session.objects.all()) < 100_000
    page = browser.post(
        f"{reverse('login')}?next={editor}",
        {"username": "alice", "password": PASSWORD, "next": editor},
        follow=True,
    ).content.decode()
    assert 'data-testid="typed-back-cut"' in page
    assert "Форма была длиннее 20\N{NO-BREAK SPACE}000 знаков" in page
    assert "Текст обрезан: сохранены только первые 20\N{NO-BREAK SPACE}000 знаков формы" in page


def signed_days_ago(value: str, days: int) -> str:
    """The signed cookie `otklik_signed_in_as` as Django would have set it ``days`` ago."""
    signer = signing.get_cookie_signer(salt=SIGNED_IN_AS + "otklik.web.signed_out")
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - days * 86400)  # type: ignore[method-assign]
    return signer.sign(value)


def test_the_sign_in_cookie_is_renewed_by_a_day_of_work_so_it_lasts_30_days_after_the_last(
    personas: Personas,
) -> None:
    browser = Client()
    browser.force_login(personas.alice)
    browser.cookies[SIGNED_IN_AS] = signed_days_ago(str(personas.alice.pk), 0)
    assert SIGNED_IN_AS not in browser.get(reverse("home")).cookies  # set today: not again on every request
    # set when she signed in 29 days ago; she has worked here every day since
    browser.cookies[SIGNED_IN_AS] = signed_days_ago(str(personas.alice.pk), 29)
    # Before: not set again, so it ran out tomorrow, and a form sent after her session ended then was not kept.
    renewed = browser.get(reverse("home")).cookies[SIGNED_IN_AS]
    assert renewed["max-age"] == 30 * 86400
    assert SIGNED_IN_AS not in browser.get(reverse("home")).cookies
