"""Attachment downloads refuse private, loopback and link-local targets and oversize bodies (SSRF)."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.intake.safety import UnsafeURL, check_url, fetch_attachment
from tests.fakes.base import FakeServer, Request, Response


class FileServer(FakeServer):
    def handle(self, request: Request) -> Response:
        if request.path == "/big":
            return Response(200, b"x" * 300_000, {"Content-Type": "image/jpeg"})
        if request.path == "/hop":
            return Response(302, b"", {"Location": "/small"})
        return Response(200, b"jpeg-bytes", {"Content-Type": "image/jpeg"})


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.jpg",
        "http://localhost:8000/admin/",
        "http://10.0.0.5/x",
        "http://192.168.1.1/x",
        "http://172.16.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http://user:pass@example.org/x",
    ],
)
def test_private_and_odd_urls_are_refused(url: str, settings: Any) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
    with pytest.raises(UnsafeURL):
        check_url(url)


def test_loopback_is_refused_outside_tests_and_size_is_limited_inside(settings: Any) -> None:
    with FileServer() as server:
        settings.OTKLIK_ALLOW_PRIVATE_FETCH = False
        with pytest.raises(UnsafeURL):
            fetch_attachment(f"{server.url}/small")
        assert server.requests == []  # refused before any connection
        settings.OTKLIK_ALLOW_PRIVATE_FETCH = True
        assert fetch_attachment(f"{server.url}/hop") == b"jpeg-bytes"
        with pytest.raises(UnsafeURL, match="exceeds"):
            fetch_attachment(f"{server.url}/big", max_bytes=100_000)
