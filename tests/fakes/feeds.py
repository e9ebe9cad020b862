"""Fake RSS feed: serves ``fixtures/feeds/blog.xml`` with an ETag and answers 304 to a matching request."""

from __future__ import annotations

import hashlib

from .base import FIXTURES, FakeServer, Request, Response


class FakeFeed(FakeServer):
    network = "feed"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.body = (FIXTURES / "feeds" / "blog.xml").read_bytes()

    def add_item(self, guid: str, title: str, text: str) -> None:
        item = f'<item><title>{title}</title><link>https://gatchina-blog.example/{guid}</link><guid isPermaLink="false">{guid}</guid><pubDate>Fri, 29 Nov 2024 09:00:00 +0300</pubDate><description>{text}</description></item>'
        with self.lock:
            self.body = self.body.replace(b"<channel>", b"<channel>" + item.encode(), 1)

    def handle(self, request: Request) -> Response:
        failure = self.take_failure("feed")
        if failure is not None:
            return Response(
                int(failure.get("status", 503)),
                str(failure.get("body", "unavailable")),
                {"Retry-After": str(failure.get("retry_after", 120))},
            )
        with self.lock:
            body = self.body
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(304, b"", {"ETag": etag})
        return Response(200, body, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag})
