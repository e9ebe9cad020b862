"""A form refused by the CSRF check (`CSRF_FAILURE_VIEW`): said in Russian, and what was typed kept (R-4.2–4.3
sign-in; R-8.4–8.5 «nothing typed is lost»).

Django gives the browser a new CSRF token at every sign-in, so every page opened before it — in this tab or another
— sends a stale one: the person signed out and in again in another tab, or signed in again there after her session
ended, as the signed-out note (`signed_out.SIGNED_OUT`) tells her to. Such a form is refused before any view runs.

- When she is signed in and the request came from a page of this site — the browser's `Origin` (or, over HTTPS, its
  `Referer`) was checked by Django before the token, and a cross-site page cannot set either — the form's typed
  fields are kept with `signed_out`'s storage (`keep_form`: no CSRF token, nothing named like a password, no files, at
  most `MAX_KEPT_CHARS`), and she is sent back to the page the form was on (`form_page`), where `{% typed_back %}`
  says the page was stale and puts the text back into the same form, to be sent again; a form with nothing typed is
  said there as a message. An in-place request (htmx) gets a Russian note where its answer goes (the 403 carries
  `SAID_HEADER`, which otklik.js swaps in), and its text is kept the same way for the page reloaded.
- Else (not signed in, no `Origin`, the Django admin's pages, a request another site's page sent), nothing is kept:
  a page of the site in Russian says what happened and how to get the text back («Назад»).
- The sign-in form itself: signed in already (two sign-in tabs) — to the desktop; else the sign-in page again.

Every refusal is one WARNING line from `otklik.web.stale_page` with Django's reason, the address, the person and
what was done with the form; never the text.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme

from otklik.web.signed_out import SIGNED_OUT, STALE, form_page, keep_form, kept_fields, typed

log = logging.getLogger(__name__)

# the header of an in-place refusal whose body is a note for the page: otklik.js swaps it in despite the 403
SAID_HEADER = "X-Otklik-Said"

IN_PLACE_KEPT = (
    "Страница устарела: после её открытия вы снова вошли в Отклик (возможно, в другой вкладке), поэтому действие "
    "не выполнено и ничего не отправлено. Обновите страницу (F5) — введённый текст вернётся в форму — и повторите."
)
IN_PLACE_NOT_KEPT = (
    "Страница устарела, поэтому действие не выполнено и ничего не отправлено. Скопируйте введённый текст, "
    "обновите страницу (F5) и повторите."
)
NOTHING_TYPED = (
    "Страница устарела: после её открытия вы снова вошли в Отклик (возможно, в другой вкладке), поэтому действие "
    "не выполнено. Повторите его на этой странице."
)
SIGN_IN_AGAIN = "Страница входа устарела: введите имя пользователя и пароль ещё раз."

# Django's reasons that the request's Origin or Referer is not this site's: never keep what such a request sent
_NOT_FROM_HERE = ("Origin checking failed", "Referer checking failed")


def _from_this_site(request: HttpRequest, reason: str) -> bool:
    """Whether a page of this site sent the request. Django checks the Origin (or, over HTTPS without it, the
    Referer) against the site and `CSRF_TRUSTED_ORIGINS` before the token, so a token refusal with one of them
    present means it matched; a browser sets both itself, and another site's page cannot."""
    if reason.startswith(_NOT_FROM_HERE):
        return False
    return "HTTP_ORIGIN" in request.META or request.is_secure()


def _is_admin(request: HttpRequest) -> bool:
    try:
        return request.path.startswith(reverse("admin:index"))
    except NoReverseMatch:
        return False


def _after_sign_in(request: HttpRequest) -> str:
    """Where the sign-in form would have led: its `next` when it is this site's, else the desktop."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def stale_page(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: what a person gets for a form refused by the CSRF check (module docstring)."""
    signed_in = request.user.is_authenticated
    in_place = request.headers.get("HX-Request") == "true"
    who = request.user.get_username() if signed_in else "nobody signed in"

    if request.path == resolve_url(settings.LOGIN_URL) and not in_place:
        target = _after_sign_in(request) if signed_in else resolve_url(settings.LOGIN_URL)
        if not signed_in:
            messages.warning(request, SIGN_IN_AGAIN)
        log.warning(
            "the sign-in form was refused by the CSRF check (%s) for %s: sent to %s", reason, who, target
        )
        return HttpResponseRedirect(target)

    fields, cut = kept_fields(request)
    anything_typed = any(typed(value) for _, value in fields)
    # her own form from a page of this site (not the admin's): kept, and she goes back to that page
    ours = signed_in and _from_this_site(request, reason) and not _is_admin(request)
    page = form_page(request) if ours else ""
    kept = ours and anything_typed
    if kept:
        keep_form(request, fields, page=page, owner=str(request.user.pk), cut=cut, why=STALE)

    if in_place:
        log.warning(
            "an in-place request to %s was refused by the CSRF check (%s) for %s: %s",
            request.path,
            reason,
            who,
            f"{len(fields)} fields kept for the page reloaded" if kept else "nothing kept",
        )
        response = HttpResponse(
            format_html(
                '<p class="said error" data-testid="page-stale"><span role="alert">{}</span></p>',
                IN_PLACE_KEPT if kept else IN_PLACE_NOT_KEPT if signed_in else SIGNED_OUT,
            ),
            status=403,
        )
        response[SAID_HEADER] = "1"
        return response

    if ours:
        if not kept:
            messages.warning(request, NOTHING_TYPED)
        log.warning(
            "a form sent to %s was refused by the CSRF check (%s) for %s: %s, back to %s",
            request.path,
            reason,
            who,
            f"{len(fields)} fields kept{', cut' if cut else ''}" if kept else "nothing typed",
            page,
        )
        return HttpResponseRedirect(page)

    log.warning(
        "a form sent to %s was refused by the CSRF check (%s) for %s: not from a page of this site or not signed "
        "in, %d fields dropped",
        request.path,
        reason,
        who,
        len(fields),
    )
    return render(
        request,
        "web/stale_page.html",
        {"signed_in": signed_in, "typed": anything_typed, "sign_in_url": resolve_url(settings.LOGIN_URL)},
        status=403,
    )
