"""R-4: a feed's configured address is the administrator's and is read as it is (an intranet site may be meant);
so is its own site when the feed redirects to itself — «/rss» → «/rss/», http → https on the same host (its http
and https ports) —, an everyday redirect that is followed again instead of stopping the source with a permanent
error. A redirect to another host is still checked as an attachment's link is (an internal address refused).

A redirect whose host does not resolve at the moment (a DNS failure) is a temporary error: the source's cursor says
the site redirects to that name, which is not found now, and «попытка будет повторена» — no longer «перенаправляет
на недопустимый адрес (внутренний адрес сети или слишком много перенаправлений)», which was untrue.

Found by a review (session 19, second round)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.base import FakeServer, Request, Response

pytestmark = pytest.mark.django_db

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><guid>1</guid><title>Vopros</title><link>http://forum.example/1</link></item></channel></rss>"""


class IntranetForum(FakeServer):
    """The office's intranet forum: its feed lives at /rss/, /rss answers 301 to it (as most CMSs do)."""

    def handle(self, request: Request) -> Response:
        if request.path.rstrip("?").endswith("/rss"):
            return Response(301, b"", {"Location": "/rss/"})
        return Response(200, RSS, {"Content-Type": "application/rss+xml"})


def test_an_intranet_feed_that_redirects_to_itself_is_read(settings: Any) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False  # production
    with IntranetForum() as forum:
        source = Source.objects.create(
            network="forum", kind=Source.Kind.FEED, title="Форум (интранет)", url=f"{forum.url}/rss"
        )
        run_source(source)
    error = Cursor.objects.get(source=source).last_error
    assert Message.objects.filter(source=source).count() == 1, (
        "the administrator's intranet feed is not read because it redirects to its own address: " + error
    )


class MovedSite(FakeServer):
    target = ""

    def handle(self, request: Request) -> Response:
        return Response(301, b"", {"Location": self.target})


def test_a_redirect_whose_host_does_not_resolve_for_a_moment_is_not_called_an_internal_address(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    real = socket.getaddrinfo

    def dns_hiccup(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "news.example.ru":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", dns_hiccup)
    with MovedSite() as site:
        site.target = "https://news.example.ru/rss.xml"
        source = Source.objects.create(
            network="feed", kind=Source.Kind.FEED, title="Новости", url=f"{site.url}/feed"
        )
        run_source(source)
    error = Cursor.objects.get(source=source).last_error
    assert not error.startswith("сайт ленты перенаправляет на недопустимый адрес"), (
        "a name that did not resolve for a moment is told as a redirect to an internal address: " + error
    )
    assert error.startswith("сайт ленты перенаправляет на news.example.ru"), error
    assert "попытка будет повторена" in error, error


def test_a_redirect_from_the_configured_site_to_another_host_is_still_checked(settings: Any) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    with IntranetForum() as internal, MovedSite() as site:
        site.target = f"http://localhost:{internal.port}/rss/"  # another name, an internal address
        source = Source.objects.create(
            network="feed", kind=Source.Kind.FEED, title="Новости", url=f"{site.url}/feed"
        )
        run_source(source)
        assert internal.requests == []
    error = Cursor.objects.get(source=source).last_error
    assert error.startswith("сайт ленты перенаправляет на недопустимый адрес"), error
