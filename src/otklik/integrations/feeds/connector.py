"""RSS/Atom feeds of blogs and sites (``feedparser``), read with ETag / Last-Modified."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import feedparser
import httpx

from otklik.intake.safety import CheckedClient, ResolveFailed, TooLarge, UnsafeURL, read_limited
from otklik.integrations.base import (
    ConnectorError,
    Page,
    Parsed,
    ParsedMessage,
    ParseError,
    Payload,
    PublishResult,
    source_setting,
)

if TYPE_CHECKING:
    from otklik.intake.models import Message, Source

NETWORK = "feed"
MAX_FEED_BYTES = 10 * 1024 * 1024
ENTRY_KEYS = (
    "id", "link", "title", "title_detail", "summary", "content", "author", "published", "updated", "tags",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def feed_message_id(source_id: int, ident: str) -> str:
    """A feed item's id, scoped by its source: a guid is unique only within its own feed («123» of a CMS), so two
    sites' items never overwrite each other. A long guid or link is replaced by its SHA-256."""
    if not ident:
        raise ParseError("entry without id and link")
    if len(ident) > 250:
        ident = "sha256:" + hashlib.sha256(ident.encode()).hexdigest()
    return f"{source_id}:{ident}"


# The networks whose sites a feed can be of: a blog's, a forum's, a review site's … feed; its messages are
# stored in the source's network. A feed of a source of another network (a VK community's RSS) is «блог / сайт».
FEED_NETWORKS = frozenset({"feed", "forum", "messenger", "reviews", "other"})


class FeedConnector:
    network = NETWORK

    def __init__(self, source: Source) -> None:
        self.source = source
        self.network = source.network if source.network in FEED_NETWORKS else NETWORK
        self.url = str(source_setting(source, "feed_url", source.url))
        # The configured address is the administrator's (an intranet site may be meant), and so is its own site
        # when it redirects to itself (a slash added, https); every other address a site redirects to is checked
        # as an attachment's is, and connected at the address checked (R-4, SSRF).
        self.http = CheckedClient(timeout=30.0)

    def close(self) -> None:
        """Close the HTTP connections kept open for the next request (`run_source` and `publish_reply` do, after use)."""
        self.http.close()

    def fetch(self, cursor: dict[str, Any]) -> Iterator[Page]:
        headers = {"User-Agent": "Otklik feed reader"}
        if cursor.get("etag"):
            headers["If-None-Match"] = str(cursor["etag"])
        if cursor.get("modified"):
            headers["If-Modified-Since"] = str(cursor["modified"])
        content = b""
        try:
            with self.http.stream(self.url, headers=headers, trust_first=True) as response:
                if response.status_code == 200:
                    content = read_limited(response, MAX_FEED_BYTES)
        except TooLarge as exc:
            raise ConnectorError(
                f"feed {self.url}: {exc}, the download stopped there",
                permanent=True,
                people=f"лента больше {MAX_FEED_BYTES // 2**20} МБ: чтение остановлено, сообщения из неё не получены",
            ) from exc
        except ResolveFailed as exc:  # a DNS failure of the moment, as likely as a name that is gone
            raise ConnectorError(
                f"feed {self.url}: redirect not followed: {exc}",
                retry_after=300.0,
                people=f"сайт ленты перенаправляет на {exc.host}, а этот адрес сейчас не найден (ошибка DNS): "
                "лента не прочитана",
            ) from exc
        except UnsafeURL as exc:
            raise ConnectorError(
                f"feed {self.url}: redirect refused: {exc}",
                permanent=True,
                people="сайт ленты перенаправляет на недопустимый адрес (внутренний адрес сети или слишком много "
                "перенаправлений): лента не прочитана; укажите в настройках источника конечный адрес ленты",
            ) from exc
        except httpx.HTTPError as exc:
            raise ConnectorError(f"feed {self.url}: {type(exc).__name__}", retry_after=60.0) from exc
        if response.status_code == 304:
            return
        if response.status_code == 429 or response.status_code >= 500:
            retry = response.headers.get("retry-after", "")
            raise ConnectorError(
                f"feed {self.url}: HTTP {response.status_code}",
                retry_after=float(retry) if retry.isdigit() else 300.0,
            )
        if response.status_code != 200:
            raise ConnectorError(
                f"feed {self.url}: HTTP {response.status_code}",
                permanent=response.status_code in {401, 403, 404, 410},
            )
        # The address the feed came from resolves relative links (``<link>/news/123</link>``); the declared
        # encoding is left to the XML prolog, as sites serving cp1251 rarely say so in Content-Type.
        parsed = feedparser.parse(content, response_headers={"content-location": str(response.url)})
        position = {
            "etag": response.headers.get("etag", ""),
            "modified": response.headers.get("last-modified", ""),
        }
        # No entries and not recognised as RSS/Atom (an HTML error page answered with 200, say): kept and
        # flagged, never taken for a quiet feed.
        if (parsed.bozo or not parsed.version) and not parsed.entries:
            yield Page([Payload("feed", content)], position)
            return
        entries = [
            {k: _plain(dict.get(e, k)) for k in ENTRY_KEYS if dict.get(e, k) is not None}
            for e in parsed.entries
        ]
        for entry, original in zip(entries, parsed.entries, strict=True):
            stamp = dict.get(original, "published_parsed") or dict.get(original, "updated_parsed")
            if stamp:
                y, mo, d, h, mi, sec = stamp[:6]
                entry["_published"] = datetime(y, mo, d, h, mi, sec, tzinfo=UTC).isoformat()
        yield Page([Payload("entry", e) for e in entries], position)

    def parse(self, payload: Payload) -> list[Parsed]:
        if payload.kind == "feed":
            raise ParseError("the feed is not valid RSS/Atom")
        entry = payload.data
        if not isinstance(entry, dict):
            raise ParseError("expected an entry object")
        link = str(entry.get("link") or "")
        ident = feed_message_id(self.source.pk, str(entry.get("id") or link))
        content = entry.get("content")
        body = ""
        if isinstance(content, list) and content and isinstance(content[0], dict):
            body = str(content[0].get("value") or "")
        body = body or str(entry.get("summary") or "")
        title = str(entry.get("title") or "")
        detail = entry.get("title_detail")
        if title and (not isinstance(detail, dict) or detail.get("type") != "text/html"):
            title = html.escape(title, quote=False)  # plain text: ``<`` is a character, not markup
        published = entry.get("_published")
        return [
            ParsedMessage(
                network=self.network,
                external_id=ident,
                url=link,
                author_name=str(entry.get("author") or ""),
                text_raw=f"<p>{title}</p>{body}" if title and title not in body else body,
                is_html=True,
                published_at=datetime.fromisoformat(published) if isinstance(published, str) else None,
                raw=entry,
            )
        ]

    def publish_reply(self, message: Message, text: str, idempotency_key: str) -> PublishResult:
        raise ConnectorError(
            "blogs and sites have no reply API: publish by hand", permanent=True, code="manual"
        )
