"""R-4: a blog's, forum's or review site's feed is read from a third-party site on the internet. A feed over
`MAX_FEED_BYTES` (10 MB) — a hacked or hostile site answering an endless body — is refused as soon as the limit is
passed, not after downloading all of it into memory: the source's cursor says «лента больше 10 МБ: чтение
остановлено…» and the other sources are read. A site that redirects its feed to an internal address of the office
network (127.0.0.1, 10.x …) is not followed there: every redirect hop is checked and connected at the address
checked, as an attachment's link is (`intake.safety.CheckedClient`); the address the administrator configured is
read as it is.

Found by a review (session 19)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.base import ConnectorError
from otklik.integrations.feeds.connector import MAX_FEED_BYTES, FeedConnector
from tests.fakes.base import FakeServer, Request, Response

pytestmark = pytest.mark.django_db

SENT_AT_MOST = 4 * MAX_FEED_BYTES  # the hostile site stops here (an endless body in real life)
CHUNK = 256 * 1024


class _Sent:
    total = 0


def _server() -> tuple[ThreadingHTTPServer, type[_Sent]]:
    sent = type("Sent", (_Sent,), {})

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # no length: the body ends when the connection does

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><description>'
            self.wfile.write(head)
            try:
                while sent.total < SENT_AT_MOST:
                    self.wfile.write(b"a" * CHUNK)
                    sent.total += CHUNK
            except OSError:  # the reader hung up: what it should do past the limit
                return

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, sent


@pytest.fixture
def hostile_feed() -> Iterator[tuple[str, type[_Sent]]]:
    server, sent = _server()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml", sent
    finally:
        server.shutdown()
        server.server_close()


def test_a_feed_over_the_limit_is_not_downloaded_whole(hostile_feed: tuple[str, type[_Sent]]) -> None:
    url, sent = hostile_feed
    source = Source.objects.create(network="feed", kind=Source.Kind.FEED, title="Блог", url=url)
    connector = FeedConnector(source)
    try:
        with pytest.raises(ConnectorError) as refused:
            list(connector.fetch({}))
    finally:
        connector.close()
    assert refused.value.permanent
    assert refused.value.for_people.startswith("лента больше 10 МБ: чтение остановлено")
    assert sent.total <= 2 * MAX_FEED_BYTES, (
        f"the reader took {sent.total // 2**20} MB of a feed limited to {MAX_FEED_BYTES // 2**20} MB before refusing "
        "it: an endless answer would never be refused"
    )


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>
<item><guid>1</guid><title>Secret</title><link>http://intranet/1</link></item></channel></rss>"""


class Intranet(FakeServer):
    def handle(self, request: Request) -> Response:
        return Response(200, RSS, {"Content-Type": "application/rss+xml"})


class Moved(FakeServer):
    target = ""

    def handle(self, request: Request) -> Response:
        return Response(301, b"", {"Location": self.target})


def test_a_feed_redirected_to_an_internal_address_is_not_read_there(settings: Any) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = False  # production: private addresses refused
    with Intranet() as intranet, Moved() as site:
        site.target = f"{intranet.url}/rss.xml"  # 127.0.0.1: an internal service in real life
        source = Source.objects.create(
            network="feed", kind=Source.Kind.FEED, title="Блог", url=f"{site.url}/feed"
        )
        run_source(source)
        assert len(site.requests) == 1  # the configured address is read as the administrator set it
        assert intranet.requests == []
    assert not Message.objects.exists()
    error = Cursor.objects.get(source=source).last_error
    assert error.startswith("сайт ленты перенаправляет на недопустимый адрес"), error
    assert "is not public" in error


def test_a_feed_redirected_within_allowed_addresses_is_read(settings: Any) -> None:
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # loopback fakes
    with Intranet() as intranet, Moved() as site:
        site.target = f"{intranet.url}/rss.xml"
        source = Source.objects.create(
            network="feed", kind=Source.Kind.FEED, title="Блог", url=f"{site.url}/feed"
        )
        run_source(source)
        assert len(intranet.requests) == 1
    assert Message.objects.get().url == "http://intranet/1"


def test_an_unchanged_feed_answered_304_is_read_again_later_without_error(
    feed_source: Source, fake_feed: Any
) -> None:
    """A 304 (the ETag matched) is a 3xx but no redirect: nothing new, no error on the cursor."""
    first = run_source(feed_source)
    again = run_source(feed_source)
    assert first.error == "" and again.error == ""
    assert Cursor.objects.get(source=feed_source).last_error == ""
    assert len(fake_feed.requests) == 2
    assert Message.objects.filter(source=feed_source).count() > 0
