"""The interface every connector shares (R-4) and its one error type."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import httpx

if TYPE_CHECKING:
    from otklik.intake.models import Message, Source

log = logging.getLogger(__name__)

# how far ahead of ours a network's clock may run: a publication time later than that is implausible (a wrong
# clock, a post scheduled for later): the pipeline keeps the message and sets the time aside, a cursor ignores it
CLOCK_SKEW = timedelta(minutes=5)


def not_ahead(stamp: float) -> bool:
    """Whether a network's Unix time is no later than now (with `CLOCK_SKEW`): one a cursor may stand on. A
    cursor at a future time would ask only for what comes after it and miss everything written until then (R-4)."""
    return stamp <= time.time() + CLOCK_SKEW.total_seconds()


class ConnectorError(Exception):
    """A network refused or failed a request.

    ``permanent`` means retrying the same request cannot help (bad token, access denied, deleted post);
    otherwise the caller may retry, not before ``retry_after`` seconds when the network said so.
    ``maybe_done`` means the request may have reached the network and been carried out although no answer
    came back (a read timeout, a dropped connection, a gateway's 5xx): repeating a request that publishes
    may publish twice where the network does not deduplicate.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        code: int | str | None = None,
        maybe_done: bool = False,
        people: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after
        self.code = code
        self.maybe_done = maybe_done
        self._people = people

    @property
    def for_people(self) -> str:
        """What went wrong in Russian, for the administrator on the source's cursor and the executor told to publish
        by hand; the message itself (English, precise) is for the log and follows it (`described`)."""
        if self._people:
            return self._people
        if self.permanent:
            return "сеть отказала в запросе"
        return "сеть временно не ответила"

    def described(self, retry: bool | None = None) -> str:
        """«<по-русски>[ — попытка будет повторена]. Подробности: <the precise message>»: what the cursor and the
        outbox keep (`for_people`). `retry`: whether another attempt follows (by default: unless permanent) — not
        after the outbox's last attempt, which asks the executor to publish by hand."""
        retry = not self.permanent if retry is None else retry
        return f"{self.for_people}{' — попытка будет повторена' if retry else ''}{DETAILS}{self}"

    def __str__(self) -> str:
        kind = "permanent" if self.permanent else "transient"
        extra = f", retry after {self.retry_after:g}s" if self.retry_after is not None else ""
        return f"{self.message} ({kind}{extra})"


# a source's missing credentials, in words for people (each client raises it with its own precise message)
MISSING_CREDENTIALS = (
    "не задан токен доступа: укажите его в настройках источника («token») или в переменной окружения"
)

# between the words for people and the precise message of an error kept for both (`ConnectorError.described`)
DETAILS = ". Подробности: "


def for_people(described: str) -> str:
    """The words for people of an error kept as `ConnectorError.described` (all of it when it has no details)."""
    return described.split(DETAILS, 1)[0]


# Failures before the request left us: the network cannot have carried it out.
NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.InvalidURL,
)


def maybe_done(exc: Exception) -> bool:
    """Whether a request that failed with ``exc`` (an httpx error) may have been carried out by the network."""
    return not isinstance(exc, NOT_SENT)


class ParseError(ValueError):
    """A payload that cannot be turned into our model; it goes to the quarantine, the batch continues."""


@dataclass
class Payload:
    """One item exactly as a network delivered it (a dict from JSON, or bytes/str that failed to decode)."""

    kind: str
    data: Any


@dataclass
class Page:
    """Payloads and the cursor that is valid once they are committed."""

    payloads: list[Payload]
    cursor: dict[str, Any]


@dataclass
class ParsedPost:
    network: str
    external_id: str
    url: str = ""
    text: str = ""
    published_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedMessage:
    network: str
    external_id: str
    text_raw: str
    url: str = ""
    author_id: str = ""
    author_name: str = ""
    author_url: str = ""
    published_at: datetime | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    post_external_id: str = ""
    reply_to_external_id: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)
    is_html: bool = False
    # When this text became current (Unix time: an edit's time, else the creation time) for deliveries that can
    # arrive out of order (webhooks retried); ``None`` when the delivery is the network's current state.
    revision: int | None = None


Parsed = ParsedPost | ParsedMessage


@dataclass
class PublishResult:
    url: str
    external_id: str


class Connector(Protocol):
    network: str

    def fetch(self, cursor: dict[str, Any]) -> Iterator[Page]:
        """Pages of new payloads since ``cursor``; each page carries the cursor valid after it."""
        ...

    def parse(self, payload: Payload) -> list[Parsed]:
        """Posts and messages in one payload; raises :class:`ParseError` when it cannot."""
        ...

    def publish_reply(self, message: Message, text: str, idempotency_key: str) -> PublishResult:
        """Publish ``text`` as a reply to ``message`` in its thread (R-8.7)."""
        ...

    def close(self) -> None:
        """Close the connections the connector keeps open between requests."""
        ...


def utc_from_unix(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError) as exc:
        raise ParseError(f"invalid unix time {value!r}") from exc


def parse_iso(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ParseError(f"invalid timestamp {value!r}")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ParseError(f"invalid timestamp {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def need(data: Any, key: str, kind: type | tuple[type, ...] = object) -> Any:
    """``data[key]`` of the expected type, or a ParseError naming what is missing."""
    if not isinstance(data, dict):
        raise ParseError(f"expected an object, got {type(data).__name__}")
    if key not in data or data[key] is None:
        raise ParseError(f"missing field {key!r}")
    value = data[key]
    if kind is not object and not isinstance(value, kind):
        raise ParseError(f"field {key!r} has type {type(value).__name__}")
    return value


class RateLimiter:
    """At most ``per_second`` calls per second per key, shared by all clients in the process."""

    _lock = threading.Lock()
    _next: dict[str, float] = {}

    def __init__(self, key: str, per_second: float) -> None:
        self.key = key
        # 10 % slack: the network counts arrivals, and network jitter can bunch evenly spaced requests.
        self.interval = 1.1 / per_second if per_second > 0 else 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(self.key, 0.0))
            self._next[self.key] = start + self.interval
        delay = start - now
        if delay > 0:
            time.sleep(delay)


def source_setting(source: Source, key: str, default: Any = None) -> Any:
    """A connector setting: the source's own config first, then ``settings.OTKLIK_INTEGRATIONS[network]``,
    then the environment variable ``OTKLIK_<NETWORK>_<KEY>`` (``OTKLIK_VK_TOKEN``).

    Secrets need not sit in the database: a value ``"env:NAME"`` (in the config or the settings) is read from
    the environment variable ``NAME`` when the connector starts; an unset variable counts as not configured."""
    from django.conf import settings

    if key in (source.config or {}):
        value = source.config[key]
    else:
        value = getattr(settings, "OTKLIK_INTEGRATIONS", {}).get(source.network, {}).get(key)
        if value is None:
            value = os.environ.get(f"OTKLIK_{source.network}_{key}".upper())
    if isinstance(value, str) and value.startswith("env:"):
        name = value.removeprefix("env:").strip()
        value = os.environ.get(name)
        if value is None:
            log.warning(
                "source %s: %s refers to the environment variable %s, which is not set", source.pk, key, name
            )
    return default if value is None else value


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is an object, else an empty one: payload fields are untrusted."""
    return value if isinstance(value, dict) else {}
