"""Fake RSS feed: serves ``fixtures/feeds/blog.xml`` with an ETag and answers 304 to a matching request."""

from __future__ import annotations

import email.utils
import hashlib
import re
from datetime import UTC, datetime, timedelta

from .base import FIXTURES, FakeServer, Request, Response

# The feed's times: each item's publication and the channel's last build (RFC 822, with their own offset).
FEED_TIMES = re.compile(rb"<(pubDate|lastBuildDate)>([^<]+)</\1>")


class FakeFeed(FakeServer):
    network = "feed"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host, port)
        self.body = (FIXTURES / "feeds" / "blog.xml").read_bytes()

    def add_item(self, guid: str, title: str, text: str) -> None:
        item = f'<item><title>{title}</title><link>https://gatchina-blog.example/{guid}</link><guid isPermaLink="false">{guid}</guid><pubDate>Fri, 29 Nov 2024 09:00:00 +0300</pubDate><description>{text}</description></item>'
        with self.lock:
            self.body = self.body.replace(b"<channel>", b"<channel>" + item.encode(), 1)

    def item_times(self, offset: timedelta = timedelta(0)) -> list[datetime]:
        """The items' ``pubDate`` (and the channel's ``lastBuildDate``) moved by ``offset`` in the served feed, each
        in its own offset (`make_current`); returns them as moved (UTC)."""
        found: list[datetime] = []

        def move(match: re.Match[bytes]) -> bytes:
            when = email.utils.parsedate_to_datetime(match[2].decode().strip())
            if when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
            moved = when + offset
            found.append(moved.astimezone(UTC))
            return b"<%s>%s</%s>" % (match[1], email.utils.format_datetime(moved).encode(), match[1])

        with self.lock:
            body = FEED_TIMES.sub(move, self.body)
            if offset:
                self.body = body
        return found

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
