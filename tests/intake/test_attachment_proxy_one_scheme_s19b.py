"""R-4, SSRF: an office names its proxy for one scheme only (HTTPS_PROXY alone) or exempts hosts from it
(NO_PROXY); httpx then connects the other links directly. Such a link is now connected, like any link without a
proxy, only at the address checked for its host (every redirect hop too): a DNS-rebinding host (a public address
for the check, 127.0.0.1 for the connection) gets nothing from an internal service, and the worker's copy of the
attachment fails. `CheckedClient` asks httpx, per URL, whether it goes through the proxy; before, any proxy in the
environment made every link unpinned. The DNS server is simulated at the socket level, as in
tests/intake/test_attachment_dns_rebinding_s19.py; no connection leaves the machine.

Found by a review (session 19, second round)."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest

from otklik.intake.safety import fetch_attachment
from tests.fakes.base import FakeServer, Request, Response

HOST = "photos.attacker.example"
PUBLIC = "93.184.216.34"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


class InternalService(FakeServer):
    def handle(self, request: Request) -> Response:
        return Response(200, JPEG, {"Content-Type": "image/jpeg"})


class Proxy(FakeServer):
    def handle(self, request: Request) -> Response:
        return Response(502, b"proxy", {})


@pytest.mark.parametrize(
    "environment",
    [{"HTTPS_PROXY": "{proxy}"}, {"HTTP_PROXY": "{proxy}", "NO_PROXY": HOST}],
    ids=["https-proxy-only", "host-in-no-proxy"],
)
def test_an_http_link_the_proxy_is_not_for_is_not_fetched_from_an_internal_address(
    settings: Any, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding_dns(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != HOST:
            return real(host, port, *args, **kwargs)
        ip = PUBLIC if not answers else "127.0.0.1"
        answers.append(ip)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    real_connect = socket.create_connection

    def no_internet(address: Any, *args: Any, **kwargs: Any) -> Any:
        if address[0] == PUBLIC:
            raise OSError("network is unreachable (test)")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", no_internet)
    with Proxy() as proxy, InternalService() as internal:
        for name, value in environment.items():  # the office's proxy, not for this link
            monkeypatch.setenv(name, value.format(proxy=proxy.url))
        port = internal.url.rsplit(":", 1)[1].rstrip("/")
        with pytest.raises(httpx.ConnectError):  # the checked public address: unreachable here
            fetch_attachment(f"http://{HOST}:{port}/camera.jpg")
        reached = list(internal.requests)
        assert proxy.requests == []  # connected directly, as httpx does for this link
    assert reached == [], (
        f"the worker fetched the link from 127.0.0.1 (DNS answers: {answers}): the proxy is not for this link "
        f"({environment}), which is connected directly and its name resolved again after the check"
    )
