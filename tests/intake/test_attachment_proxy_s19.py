"""R-4 (nothing lost): an office that reaches the internet only through a proxy (HTTP_PROXY / HTTPS_PROXY in the
environment, as every other outbound request of Otklik honours) still gets the copies of the messages' photos: the
pinned direct connection against DNS rebinding (session 19) is used only without a proxy; through one, each hop's
address is still checked here and a name this machine cannot resolve is left to the proxy."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.intake.safety import UnsafeURL, fetch_attachment
from tests.fakes.base import FakeServer, Request, Response


class Proxy(FakeServer):
    """A forward proxy on loopback: answers a request for an absolute URL with that URL's «photo»."""

    def handle(self, request: Request) -> Response:
        asked = request.headers.get("host", "") + request.path
        return Response(200, b"\xff\xd8\xff-photo-of-" + asked.encode(), {"Content-Type": "image/jpeg"})


def test_a_photo_is_fetched_through_the_offices_proxy(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    with Proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        # a name this machine cannot resolve: resolved by the proxy
        got = fetch_attachment("http://photos.invalid/a.jpg")
        assert got.startswith(b"\xff\xd8\xff-photo-of-") and got.endswith(b"photos.invalid/a.jpg"), got
        assert len(proxy.requests) == 1


def test_an_internal_address_is_refused_even_with_a_proxy(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    with Proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        for url in ("http://127.0.0.1/x.jpg", "http://10.0.0.5/x.jpg", "http://localhost/x.jpg"):
            with pytest.raises(UnsafeURL):
                fetch_attachment(url)
        assert proxy.requests == []
