"""A request made in place (htmx: the answer checker as one types, a mark answered in place) after the session
expired is answered with a short Russian note where its answer would go, not with the sign-in page put inside the
page's box, and not with a redirect of the whole page that would lose what is typed on it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.html import format_html

SIGNED_OUT = (
    "Сеанс работы истёк: войдите в Отклик заново в другой вкладке, затем повторите. "
    "Текст на этой странице сохранён — не закрывайте её."
)


class HtmxSignedOutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code not in (301, 302):
            return response
        login = resolve_url(settings.LOGIN_URL)
        if not response.get("Location", "").startswith(login):
            return response
        return HttpResponse(
            format_html(
                '<p class="said error" data-testid="signed-out"><span role="alert">{}</span></p>', SIGNED_OUT
            )
        )
