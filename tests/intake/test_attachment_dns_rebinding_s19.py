"""R-4: a link attachment is copied only from the address that was checked for its host. A host whose DNS answers
a public address for the check and 127.0.0.1 for the connection (DNS rebinding) gets nothing from inside the office
network: the worker connects to the checked public address (the «internal service» is never asked) and records
«файл не удалось скачать, копия не сохранена» on the message; every redirect hop is pinned the same way, with the
host name kept for the ``Host`` header (and TLS). `intake.safety.CheckedClient`, `intake.pinned`.

The hostile DNS server is simulated at the socket level (`socket.getaddrinfo`); nothing of the project is
replaced. The «internal service» is a loopback HTTP server holding a JPEG; no connection leaves the machine.

Found by a review (session 19)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from otklik.intake.attachments import download
from otklik.intake.models import AttachmentCopy, Message
from tests.fakes.base import FakeServer, Request, Response

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64  # what the internal service answers: it sniffs as a photo
HOST = "photos.attacker.example"
PUBLIC = "93.184.216.34"  # the address the attacker's DNS gives first, for the check


class InternalService(FakeServer):
    def handle(self, request: Request) -> Response:
        return Response(200, JPEG, {"Content-Type": "image/jpeg"})


def test_a_link_attachment_whose_dns_turns_internal_after_the_check_is_not_fetched(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False  # production: private addresses refused
    settings.OTKLIK_DOWNLOAD_ATTACHMENTS = True
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding_dns(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != HOST:
            return real(host, port, *args, **kwargs)
        ip = PUBLIC if not answers else "127.0.0.1"  # public for the check, loopback for the connection
        answers.append(ip)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    real_connect = socket.create_connection

    def no_internet(address: Any, *args: Any, **kwargs: Any) -> Any:
        # the test never leaves the machine: a connection to the public address fails as with no route
        if address[0] == PUBLIC:
            raise OSError("network is unreachable (test)")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", no_internet)
    with InternalService() as internal:
        port = internal.url.rsplit(":", 1)[1].rstrip("/")
        url = f"http://{HOST}:{port}/camera.jpg"
        # a VK comment with a link attachment, as `vk.schemas._attachments` stores it
        message = Message.objects.create(
            network="vk",
            external_id="-1_1_77",
            url="https://vk.com/wall-1_1?reply=77",
            author_name="Житель",
            text="Смотрите фото",
            attachments=[{"type": "link", "url": url}],
        )
        stored = download(message.pk)
        reached = list(internal.requests)

    assert reached == [], (
        f"the server fetched {url} from 127.0.0.1 (DNS answers: {answers}): the public-address check was made on "
        "one resolution and the connection on another"
    )
    assert stored == 0
    assert not AttachmentCopy.objects.filter(message=message).exclude(stored="").exists()
    assert answers == [PUBLIC], f"the host was resolved again after the check: {answers}"
    copy = AttachmentCopy.objects.get(message=message)
    assert copy.error == "файл не удалось скачать, копия не сохранена"


class Photos(FakeServer):
    def handle(self, request: Request) -> Response:
        return Response(200, JPEG, {"Content-Type": "image/jpeg"})


class Redirector(FakeServer):
    target = ""

    def handle(self, request: Request) -> Response:
        return Response(302, b"", {"Location": self.target})


def test_the_host_a_link_redirects_to_is_fetched_from_the_address_checked_for_it(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = (
        True  # the servers are loopback ones; the pinning holds all the same
    )
    settings.OTKLIK_DOWNLOAD_ATTACHMENTS = True
    cdn = "cdn.attacker.example"
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding_dns(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != cdn:
            return real(host, port, *args, **kwargs)
        ip = "127.0.0.2" if not answers else "127.0.0.3"  # the checked server first, another one afterwards
        answers.append(ip)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (ip, int(port)))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    with Photos(host="127.0.0.2") as checked, Redirector() as first:
        with InternalService(host="127.0.0.3", port=checked.port) as other:
            first.target = f"http://{cdn}:{checked.port}/camera.jpg"
            message = Message.objects.create(
                network="vk",
                external_id="-1_1_78",
                url="https://vk.com/wall-1_1?reply=78",
                author_name="Житель",
                text="Смотрите фото",
                attachments=[{"type": "link", "url": f"{first.url}/short"}],
            )
            stored = download(message.pk)
            assert other.requests == []
        assert [r.headers.get("host") for r in checked.requests] == [f"{cdn}:{checked.port}"]
    assert stored == 1
    assert answers == ["127.0.0.2"]
