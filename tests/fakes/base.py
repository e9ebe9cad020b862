"""A small threaded HTTP server to build the fakes on."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

FIXTURES = Path(__file__).parent / "fixtures"
MSK = ZoneInfo("Europe/Moscow")
# How long before now the newest item of a fake made current (`FakeServer.make_current`, the demo) was published.
CURRENT_LEAD = timedelta(minutes=15)
# The keys under which the networks give an item's time: VK and Telegram in Unix seconds, OK as "YYYY-MM-DD
# HH:MM:SS" in Moscow time, YouTube in ISO 8601 (UTC, "Z").
TIME_KEYS = frozenset({"date", "edit_date", "forward_date", "publishedAt", "updatedAt"})
OK_TIME = "%Y-%m-%d %H:%M:%S"


def load_fixture(network: str, name: str) -> Any:
    return json.loads((FIXTURES / network / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def calendar_span() -> tuple[datetime, datetime]:
    """The first and the last moment of the years the project's production calendar ships (`otklik.worktime`):
    the times a fake made current stay within them."""
    from otklik.worktime.calendar import ProductionCalendar

    calendar = ProductionCalendar.from_package()
    first = datetime.combine(calendar.first_date, time(), MSK)
    last = datetime.combine(calendar.last_date + timedelta(days=1), time(), MSK) - timedelta(seconds=1)
    return first.astimezone(UTC), last.astimezone(UTC)


def read_time(value: Any) -> datetime | None:
    """An item's time as a network gives it (see ``TIME_KEYS``), in UTC; ``None`` when it is none (0: unknown)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return datetime.fromtimestamp(value, UTC) if value > 0 else None
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, OK_TIME).replace(tzinfo=MSK).astimezone(UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else None


def write_time(like: Any, moment: datetime) -> Any:
    """``moment`` written as ``like`` is (Unix seconds, OK's Moscow time or ISO 8601 in its own offset)."""
    if isinstance(like, int):
        return int(moment.timestamp())
    try:
        datetime.strptime(like, OK_TIME)
    except ValueError:
        pass
    else:
        return moment.astimezone(MSK).strftime(OK_TIME)
    if like.endswith("Z"):
        return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return moment.astimezone(datetime.fromisoformat(like).tzinfo).isoformat()


def walk_times(value: Any, offset: timedelta = timedelta(0)) -> list[datetime]:
    """Every item time in ``value`` (nested dicts and lists, the keys of ``TIME_KEYS``) moved by ``offset`` in
    place, each in its own format; returns them as moved (UTC)."""
    found: list[datetime] = []
    if isinstance(value, dict):
        for key, item in value.items():
            when = read_time(item) if key in TIME_KEYS else None
            if when is None:
                found += walk_times(item, offset)
                continue
            if offset:
                value[key] = write_time(item, when + offset)
            found.append(when + offset)
    elif isinstance(value, list):
        for item in value:
            found += walk_times(item, offset)
    return found


def current_offset(
    times: list[datetime], now: datetime | None = None, lead: timedelta = CURRENT_LEAD
) -> timedelta:
    """How far to move ``times`` (all by the same offset: their order and spacing kept) for the newest to be
    ``lead`` before ``now``: whole minutes, never later than that, so nothing lands in the future. The moved
    times stay within the production calendar's years (`calendar_span`): after its last year the newest lands on
    its last minute; a ``now`` so early that the oldest would fall before its first year leaves them as they are."""
    if not times:
        return timedelta(0)
    first, last = calendar_span()
    target = min((now or datetime.now(UTC)) - lead, last)
    offset = timedelta(minutes=(target - max(times)) // timedelta(minutes=1))
    return offset if min(times) + offset >= first else timedelta(0)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    @property
    def form(self) -> dict[str, str]:
        if "application/x-www-form-urlencoded" in self.headers.get("content-type", ""):
            return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8"), keep_blank_values=True).items()}
        return {}

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def params(self) -> dict[str, Any]:
        """Query, form and JSON object parameters together (the networks accept several encodings)."""
        merged: dict[str, Any] = dict(self.query)
        merged.update(self.form)
        if "json" in self.headers.get("content-type", "") and self.body:
            data = self.json
            if isinstance(data, dict):
                merged.update(data)
        return merged


@dataclass
class Response:
    status: int = 200
    body: bytes | str | Any = b""
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, bytes):
            return self.body, self.headers.get("Content-Type", "application/octet-stream")
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), self.headers.get("Content-Type", "text/plain; charset=utf-8")
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8"


class FakeServer:
    """Subclasses implement ``handle``; ``fail`` queues errors that ``take_failure`` hands out in order."""

    network = "fake"

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.requests: list[Request] = []
        self.published: list[dict[str, Any]] = []
        self.lock = threading.RLock()
        self._failures: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------------------------
    def start(self) -> Self:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
                request = Request(
                    self.command, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with fake.lock:
                    fake.requests.append(request)
                try:
                    response = fake.handle(request)
                except Exception as exc:  # a bug in a fake must show up as a 500, not hang the client
                    response = Response(500, f"fake error: {type(exc).__name__}: {exc}")
                payload, content_type = response.encoded()
                self.send_response(response.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in response.headers.items():
                    if k.lower() != "content-type":
                        self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _serve
            do_POST = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name=f"fake-{self.network}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- failures on demand --------------------------------------------------------------------------------
    def fail(self, method: str, times: int = 1, **spec: Any) -> None:
        with self.lock:
            self._failures[method].extend([spec] * times)

    def take_failure(self, method: str) -> dict[str, Any] | None:
        with self.lock:
            queue = self._failures.get(method)
            return queue.pop(0) if queue else None

    def calls(self, method: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.rstrip("/").endswith(method)]

    # --- the demo's dates ----------------------------------------------------------------------------------
    def timed(self) -> list[Any]:
        """The fake's content whose item times `make_current` moves (nested dicts and lists); none here."""
        return []

    def item_times(self, offset: timedelta = timedelta(0)) -> list[datetime]:
        """Every item time of the fake's content, moved by ``offset`` in place (UTC, as moved)."""
        return walk_times(self.timed(), offset)

    def make_current(self, now: datetime | None = None, lead: timedelta = CURRENT_LEAD) -> timedelta:
        """Opt-in, for the demo (`otklik fake_networks`): move every item time of the content the fake holds now
        by one offset (`current_offset`), so its newest item was published ``lead`` before ``now`` and the order
        and spacing are the fixtures'. Without it the fixtures' fixed dates stay, which the tests assert.
        Content added afterwards is not moved. Returns the offset."""
        with self.lock:
            offset = current_offset(self.item_times(), now, lead)
            if offset:
                self.item_times(offset)
            return offset

    def handle(self, request: Request) -> Response:
        raise NotImplementedError


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on a loopback port for the block; yields the server's base URL (``http://127.0.0.1:N``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
