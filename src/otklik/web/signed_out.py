"""The end of a session, and nothing typed lost with it (R-4.2–4.3 sign-in; «nothing lost»).

A session lasts `SESSION_COOKIE_AGE` (4 hours) from the person's last request, not from signing in: it is renewed
by use (`SignedOutMiddleware._renew`, at most once in `RENEW_EVERY` seconds, so the session row is not rewritten
by every keystroke of the answer checker). A working day of activity never signs the person out; a tab left
overnight or over a long absence does.

After the session ended:
- a request made in place (htmx: the answer checker as one types, a mark answered in place) is answered with a
  short Russian note where its answer would go, not with the sign-in page put inside the page's box, and not with a
  redirect of the whole page that would lose what is typed on it;
- a form sent (POST) still goes to the sign-in page, and the sign-in returns to the page the form was on (the
  Referer when it is this site, else the nearest page above the form's address: the case page, the list, the home
  page), never to the form's POST-only address. What was typed in it is kept first only in a browser where
  somebody signed in before — one carrying a valid signed `SIGNED_IN_AS` cookie, renewed daily by use and kept
  30 days — the form's fields in the browser's new session, without the CSRF token or anything named like a
  password, files not at all, at most `MAX_KEPT_CHARS` characters in all (the text past them dropped and the cut
  text ending with `CUT_NOTE`). The first page after signing in says the form was not accepted, shows the text to
  copy and puts it back into the same form when that form is on the page (`templatetags/signed_out.py`,
  `web/_typed_back.html`). The text stays in the browser it was typed in; it is put back only for the person who
  last signed in there — another person signing in on that computer does not get it — and signing out drops it.
  A browser without that cookie (nobody signed in there, or not for 30 days: a stranger, a script) has nothing
  stored for it: the site must be reachable from outside for the networks' webhooks, and an anonymous POST would
  otherwise make a session row each; its sign-in page says plainly that the form was not accepted and its text
  not kept (`?form=` of the sign-in address, `NOT_KEPT`, `NOT_ACCEPTED`);
- a form refused by the CSRF check as sent from a page opened before signing in again (`web.stale_page`) is kept
  the same way (`keep_form`, its `why` `STALE`) and put back on the page it was sent from;
- an address that only takes a form, opened as a page (a `next` of an old sign-in link, a bookmark), leads to the
  nearest page above it with a note, not to the browser's empty «HTTP ERROR 405».
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

log = logging.getLogger(__name__)

# Signing in again in another tab gives the browser a new CSRF token, so what this page sends next is refused as
# sent from a stale page (`web.stale_page`): its text is then put back into the form on this page, sent once more.
SIGNED_OUT = (
    "Сеанс работы истёк: войдите в Отклик заново в другой вкладке, затем повторите здесь. "
    "Текст на этой странице сохранён — не закрывайте её. Если Отклик ответит, что страница устарела, "
    "введённый текст вернётся в форму — отправьте её ещё раз."
)
NOT_A_PAGE = (
    "Ссылка вела на адрес кнопки формы, а не на страницу: такой адрес принимает только отправленную форму. "
    "Открыта ближайшая страница."
)

RENEW_EVERY = (
    5 * 60
)  # seconds: the session's idle limit is counted from the last renewal, up to this much early
RENEWED = "otklik_renewed"  # the session's key: when it was last renewed (epoch seconds)
KEPT = "otklik_kept_form"  # the session's key: the form sent after the session ended (or from a stale page)
# why a form was kept, as its `why`: the session had ended (the default), or the page was stale (`web.stale_page`)
ENDED, STALE = "ended", "stale"
SIGNED_IN_AS = "otklik_signed_in_as"  # a signed cookie: who last signed in in this browser (their pk)
SIGNED_IN_AS_DAYS = 30  # the cookie's life after the last day the person worked in this browser
# seconds: the cookie is set again once older than this, by a signed-in request
SIGNED_IN_AS_RENEW = 24 * 60 * 60
_SALT = "otklik.web.signed_out"

# The sign-in address's parameter that says a form sent signed out was not kept (nothing stored on the server).
FORM_PARAM = "form"
NOT_KEPT = (
    "Сеанс работы истёк, и отправленная форма не принята. Введённый в неё текст не сохранён: "
    "войдите и заполните форму снова."
)
NOT_ACCEPTED = "Сеанс работы истёк, и отправленная форма не принята: войдите и отправьте её снова."
_NOTES = {"not-kept": NOT_KEPT, "not-accepted": NOT_ACCEPTED}

# Fields never kept: the CSRF token, and anything named like a secret (a password change form, a token).
_SECRET = re.compile(r"csrf|pass|secret|token", re.I)
# A value a person does not type: a choice, a number, a version, a date (what hidden fields and lists send).
_MACHINE = re.compile(r"[A-Za-z0-9_.:+-]{0,40}")
# The whole form, names and values: the rest is dropped and the text cut ends with CUT_NOTE. A person's answer is
# a few thousand characters; a session row is kept 4 hours for anybody who once signed in in the browser.
MAX_KEPT_CHARS = 20_000
MAX_KEPT_SAID = f"{MAX_KEPT_CHARS:,}".replace(",", "\N{NO-BREAK SPACE}")  # «20 000»
CUT_NOTE = (
    f"\n\n[… Текст обрезан: сохранены только первые {MAX_KEPT_SAID} знаков формы, остальное не сохранено.]"
)


def typed(value: str) -> bool:
    """Whether a sent value looks typed by a person (shown back to copy), not a choice or a hidden number."""
    return _MACHINE.fullmatch(value.strip()) is None


def _signed_in_as(request: HttpRequest, max_age: int = SIGNED_IN_AS_DAYS * 86400) -> str | None:
    """Who last signed in in this browser (their pk), by the signed cookie signed at most ``max_age`` seconds ago."""
    try:
        return request.get_signed_cookie(SIGNED_IN_AS, salt=_SALT, max_age=max_age)
    except (KeyError, signing.BadSignature):
        return None


def _is_login(response: HttpResponse) -> bool:
    return response.status_code in (301, 302) and response.get("Location", "").startswith(
        resolve_url(settings.LOGIN_URL)
    )


def page_above(path_info: str) -> str:
    """The nearest address above ``path_info`` that is a page of the site (/cases/5/drafts/3/review/ → /cases/5/),
    with the script prefix; the home page at the top."""
    parts = [p for p in path_info.split("/") if p]
    while parts:
        parts.pop()
        candidate = "/" + "".join(f"{p}/" for p in parts)
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return resolve_url("home") if candidate == "/" else get_script_prefix().rstrip("/") + candidate
    return resolve_url("home")


def form_page(request: HttpRequest) -> str:
    """The page a form was sent from: the Referer when it is this site (its path and query, never another
    host), else the nearest page above the form's address."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        path = parts.path or "/"
        own = path.startswith("/") and not path.startswith("//") and "\\" not in path
        if own and path != resolve_url(settings.LOGIN_URL):
            return f"{path}?{parts.query}" if parts.query else path
    return page_above(request.path_info)


def kept_fields(request: HttpRequest) -> tuple[list[list[str]], bool]:
    """The sent form's fields a person may want back, in the form's order: no CSRF token, nothing named like a
    password, no files, no empty values; at most `MAX_KEPT_CHARS` characters, names included. Past them the typed
    value reaching the limit is cut and the rest dropped; the last typed text kept then ends with `CUT_NOTE`.
    Also whether anything was dropped."""
    fields: list[list[str]] = []
    size = 0
    for name, values in request.POST.lists():
        if _SECRET.search(name):
            continue
        for value in values:
            if not value.strip():
                continue
            room = MAX_KEPT_CHARS - size - len(name)
            if len(value) > room:
                if room > 0 and typed(value) and typed(value[:room]):
                    fields.append([name, value[:room]])
                _mark_cut(fields)
                return fields, True
            size += len(name) + len(value)
            fields.append([name, value])
    return fields, False


def _mark_cut(fields: list[list[str]]) -> None:
    for field in reversed(fields):
        if typed(field[1]):
            field[1] = field[1].rstrip() + CUT_NOTE
            return


def sign_in_note(request: HttpRequest) -> str | None:
    """What the sign-in page says of a form sent signed out whose text was not kept (`FORM_PARAM`)."""
    return _NOTES.get(request.GET.get(FORM_PARAM, ""))


def kept_form(request: HttpRequest) -> dict[str, Any] | None:
    kept = request.session.get(KEPT)
    return kept if isinstance(kept, dict) else None


def keep_form(
    request: HttpRequest,
    fields: list[list[str]],
    *,
    page: str,
    owner: str,
    cut: bool,
    why: str = ENDED,
) -> None:
    """Keep a refused form's fields (`kept_fields`) in the session for the first page ``owner`` sees next, which
    says why it was not accepted, shows the text and puts it back into the same form (`templatetags/signed_out.py`).
    """
    # an in-place request names the element that sent it (htmx's HX-Trigger: its id), so the form it belongs to is
    # found among several sending to the same address (the Governor's post page: an answer box per question)
    element = request.headers.get("HX-Trigger", "") if request.headers.get("HX-Request") == "true" else ""
    request.session[KEPT] = {
        "action": request.path,
        "element": element[:200],
        "page": page,
        "fields": fields,
        "at": timezone.now().isoformat(),
        "owner": owner,
        "cut": cut,
        "why": why,
    }


def take_kept_form(request: HttpRequest) -> dict[str, Any] | None:
    """The form kept when the session ended, for the first page after signing in — only for the person who last
    signed in in this browser when it was kept (none known: whoever signs in). Taken once."""
    kept = request.session.pop(KEPT, None)
    if not isinstance(kept, dict):
        return None
    if kept.get("owner") != str(request.user.pk):
        log.info(
            "a form sent to %s after the session ended is not put back: %s signed in, not the person who last "
            "signed in in this browser",
            kept.get("action"),
            request.user.get_username(),
        )
        return None
    return kept


class SignedOutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in = request.user.is_authenticated
        if signed_in:
            self._renew(request)
        response = self.get_response(request)
        htmx = bool(getattr(request, "htmx", False))
        # the sign-in form itself led back to the sign-in page (a stale sign-in page, `web.stale_page`) is no form
        # sent after the session ended
        sign_in = request.path == resolve_url(settings.LOGIN_URL)
        if _is_login(response) and not request.user.is_authenticated and not sign_in:
            if htmx:
                return HttpResponse(
                    format_html(
                        '<p class="said error" data-testid="signed-out"><span role="alert">{}</span></p>',
                        SIGNED_OUT,
                    )
                )
            if request.method == "POST":
                response = self._keep(request)
        elif self._not_a_page(request, response, signed_in=signed_in, htmx=htmx):
            messages.info(request, NOT_A_PAGE)
            return HttpResponseRedirect(page_above(request.path_info))
        # set at signing in and again once a day of use: it lasts SIGNED_IN_AS_DAYS after the last day of work here
        if request.user.is_authenticated and _signed_in_as(request, SIGNED_IN_AS_RENEW) != str(
            request.user.pk
        ):
            response.set_signed_cookie(
                SIGNED_IN_AS,
                str(request.user.pk),
                salt=_SALT,
                max_age=SIGNED_IN_AS_DAYS * 86400,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _not_a_page(request: HttpRequest, response: HttpResponse, *, signed_in: bool, htmx: bool) -> bool:
        """A form's POST-only address opened as a page by a signed-in person: the view's empty 405 (a network's
        webhook, called by nobody signed in, keeps its answer)."""
        return (
            response.status_code == 405
            and request.method == "GET"
            and signed_in
            and not htmx
            and response.get("Content-Type", "").startswith("text/html")
        )

    @staticmethod
    def _renew(request: HttpRequest) -> None:
        """A request of the signed-in person moves the end of the session to `SESSION_COOKIE_AGE` from now (the
        session is saved, with its cookie, when changed), at most once in `RENEW_EVERY` seconds."""
        now = int(time.time())
        try:
            last = int(request.session.get(RENEWED, 0))
        except (TypeError, ValueError):
            last = 0
        if now - last >= RENEW_EVERY:
            request.session[RENEWED] = now

    @staticmethod
    def _keep(request: HttpRequest) -> HttpResponse:
        """A form sent after the session ended: keep what was typed when somebody signed in in this browser before,
        then the sign-in page leading back to the page the form was on."""
        page = form_page(request)
        owner = _signed_in_as(request)
        fields, cut = kept_fields(request)
        if not any(typed(value) for _, value in fields):
            return _to_sign_in(page, "not-accepted")
        if owner is None:
            # nobody signed in here: a stranger or a script must not fill the sessions table from outside
            log.info(
                "a form sent to %s signed out is not kept: this browser carries no sign-in of anybody (%d fields "
                "dropped)",
                request.path,
                len(fields),
            )
            return _to_sign_in(page, "not-kept")
        keep_form(request, fields, page=page, owner=owner, cut=cut)
        log.info(
            "a form sent to %s after the session ended: %d fields kept for after the sign-in%s, back to %s",
            request.path,
            len(fields),
            f", cut at {MAX_KEPT_CHARS} characters" if cut else "",
            page,
        )
        return redirect_to_login(page)


def _to_sign_in(page: str, note: str) -> HttpResponse:
    response = redirect_to_login(page)
    response["Location"] += f"{'&' if '?' in response['Location'] else '?'}{FORM_PARAM}={note}"
    return response


class SignIn(LoginView):
    """The sign-in page; after a session ended with a form sent, it says that the form was not accepted and
    whether what was typed is kept."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form_kept"] = kept_form(self.request) is not None
        context["form_note"] = None if context["form_kept"] else sign_in_note(self.request)
        return context
