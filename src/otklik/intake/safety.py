"""Outbound fetches of untrusted URLs (attachments, feeds' redirects): no private, loopback or link-local
targets, size limits.

A message can carry any URL; fetching it from inside the office network must not reach internal services
(SSRF). Each URL's host is resolved once, its addresses checked, and the connection made to those very addresses
(`intake.pinned`), so a DNS server answering a public address for the check and an internal one for the
connection (DNS rebinding) gains nothing; every redirect hop is checked and pinned the same way.
``settings.OTKLIK_ALLOW_PRIVATE_FETCH = True`` lifts the address check, for tests against loopback fakes.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import TracebackType
from urllib.parse import urlsplit

import httpx
from django.conf import settings

from .pinned import Origin, PinnedBackend, PinnedTransport, origin_of, same_site

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5


class UnsafeURL(ValueError):
    pass


class TooLarge(UnsafeURL):
    """A body over the limit: the download stopped there."""


class ResolveFailed(UnsafeURL):
    """The host's name did not resolve (no such name, or the DNS server failed for the moment): nothing was
    connected; unlike an internal address, trying again later may succeed."""

    def __init__(self, message: str, host: str) -> None:
        super().__init__(message)
        self.host = host


def _allowed_private() -> bool:
    return bool(getattr(settings, "OTKLIK_ALLOW_PRIVATE_FETCH", False))


def check_address(ip: str) -> None:
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    if not addr.is_global or addr.is_multicast:
        raise UnsafeURL(f"address {ip} is not public")


def _parse(url: str) -> httpx.URL:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeURL(f"only http(s) URLs with a host can be fetched: {url[:200]!r}")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials are refused")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise UnsafeURL(f"not a valid URL: {url[:200]!r}: {exc}") from exc
    # the host as httpx will connect to it, whatever urlsplit made of the URL
    if parsed.scheme not in {"http", "https"} or not parsed.raw_host or parsed.userinfo:
        raise UnsafeURL(f"only http(s) URLs with a host and no credentials can be fetched: {url[:200]!r}")
    return parsed


def resolve(url: str) -> tuple[Origin, list[str]]:
    """The host and port ``url`` is connected to and its addresses, after refusing non-HTTP schemes and (unless
    ``OTKLIK_ALLOW_PRIVATE_FETCH``) non-public addresses; the addresses in the resolver's order of preference."""
    origin = origin_of(_parse(url))
    try:
        infos = socket.getaddrinfo(origin[0], origin[1], type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ResolveFailed(f"cannot resolve {origin[0]!r}: {exc}", origin[0]) from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise UnsafeURL(f"{origin[0]!r} has no address")
    if not _allowed_private():
        for ip in addresses:
            check_address(ip)
    return origin, addresses


def proxies_of_environment() -> dict[str, str]:
    """The HTTP(S) proxies the environment names (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY), as httpx reads them."""
    found = urllib.request.getproxies()
    return {k: v for k, v in found.items() if k in ("http", "https", "all") and v}


def _check_for_proxy(url: str) -> None:
    """A hop fetched through the environment's proxy: refused when its host is, or resolves here to, a non-public
    address; a name this machine cannot resolve (an office that resolves outside names only at its proxy) is the
    proxy's to resolve."""
    with suppress(ResolveFailed):
        resolve(url)


def check_url(url: str) -> list[str]:
    """The resolved addresses of ``url`` after refusing non-HTTP schemes and non-public addresses."""
    return resolve(url)[1]


class CheckedClient:
    """An HTTP client for URLs from outside: it connects only to addresses `resolve` checked, for every redirect
    hop (followed here, at most `MAX_REDIRECTS`), never to an address the name resolves to later.

    An office that reaches the internet only through a proxy (HTTP(S)_PROXY, ALL_PROXY in the environment) fetches
    through it: the proxy resolves the names, so pinning is impossible there and keeping internal addresses out is
    the proxy's policy too; each hop's URL is still checked here (docs/operations.md). Whether a hop goes through
    the proxy is decided per URL as httpx decides it (a proxy named for one scheme only, a ``NO_PROXY`` host): a
    hop httpx would connect directly is connected by the pinned client instead.
    """

    def __init__(self, *, timeout: float) -> None:
        self._backend = PinnedBackend()
        self.pinned = httpx.Client(
            transport=PinnedTransport(self._backend), timeout=timeout, follow_redirects=False
        )
        self.proxied: httpx.Client | None = None
        if proxies_of_environment():
            self.proxied = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=True)
            # httpx's own choice of transport for a URL is what tells a proxied hop from a direct one: fail loudly
            # should a later httpx keep it elsewhere (a direct hop would then go unpinned, or a proxied one fail)
            if not callable(getattr(self.proxied, "_transport_for_url", None)) or not isinstance(
                getattr(self.proxied, "_transport", None), httpx.BaseTransport
            ):
                self.pinned.close()
                self.proxied.close()
                raise RuntimeError(
                    "httpx.Client chooses its transport elsewhere: proxied hops cannot be told apart"
                )

    def __enter__(self) -> CheckedClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.pinned.close()
        if self.proxied is not None:
            self.proxied.close()

    def via_proxy(self, url: str) -> bool:
        """Whether httpx sends ``url`` through the environment's proxy (not for a scheme no proxy is named for,
        nor for a ``NO_PROXY`` host): the very choice the proxied client makes when it sends the request."""
        if self.proxied is None:
            return False
        try:
            chosen = self.proxied._transport_for_url(httpx.URL(url))
        except httpx.InvalidURL:
            return False  # refused by `resolve` (or by httpx, for a configured address)
        return chosen is not self.proxied._transport

    @contextmanager
    def stream(
        self, url: str, *, headers: dict[str, str] | None = None, trust_first: bool = False
    ) -> Iterator[httpx.Response]:
        """The streamed response at the end of ``url``'s redirects. ``trust_first``: ``url`` itself is an address
        the administrator configured (an intranet site may be meant): connected as the system resolves it, and so
        is every hop to the same site (`pinned.same_site`: ``/rss`` → ``/rss/``, http → https); the hops elsewhere
        are checked all the same. Raises `UnsafeURL` for a refused hop, `ResolveFailed` for a host that does not resolve now."""
        current = url
        trusted: frozenset[Origin] = frozenset()
        if trust_first:
            with suppress(httpx.InvalidURL):  # httpx refuses the request itself
                trusted = same_site(httpx.URL(url))
        self._backend.reset(trusted=trusted)
        for hop in range(MAX_REDIRECTS + 1):
            proxied = self.via_proxy(current)
            if not trust_first or (hop and _origin_of(current) not in trusted):
                if proxied:
                    _check_for_proxy(current)
                else:
                    origin, addresses = resolve(current)
                    self._backend.pin(origin, addresses)
            client = self.proxied if proxied and self.proxied is not None else self.pinned
            with client.stream("GET", current, headers=headers) as response:
                if not response.has_redirect_location:  # a 304 is no redirect
                    yield response
                    return
                try:
                    current = str(response.url.join(response.headers["location"]))
                except httpx.InvalidURL as exc:
                    raise UnsafeURL(f"redirect to an invalid URL: {exc}") from exc
        raise UnsafeURL(f"more than {MAX_REDIRECTS} redirects")


def _origin_of(url: str) -> Origin | None:
    """The host and port ``url`` is connected to (`origin_of`); None for a URL httpx cannot read."""
    try:
        return origin_of(httpx.URL(url))
    except (httpx.InvalidURL, UnicodeError):
        return None


def read_limited(response: httpx.Response, max_bytes: int) -> bytes:
    """The body of a streamed response, the download stopped as soon as it passes ``max_bytes`` (`TooLarge`)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(f"body of {declared} bytes exceeds the limit of {max_bytes}")
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_bytes():
        total += len(chunk)
        if total > max_bytes:
            raise TooLarge(f"body exceeds the limit of {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_attachment(url: str, *, max_bytes: int = MAX_ATTACHMENT_BYTES, timeout: float = 20.0) -> bytes:
    """Download an attachment, refusing unsafe targets (also after each redirect) and oversize bodies."""
    with CheckedClient(timeout=timeout) as client, client.stream(url) as response:
        response.raise_for_status()
        return read_limited(response, max_bytes)


# the major brands of MP4 video (besides «iso…», «3gp…», «3g2…»): ftyps.com's registry of the ones phones,
# cameras and sites write
_MP4_BRANDS = frozenset(
    (
        b"mp41",
        b"mp42",
        b"mp71",
        b"avc1",
        b"M4V ",
        b"M4VH",
        b"M4VP",
        b"dash",
        b"MSNV",
        b"f4v ",
        b"mmp4",
        b"XAVC",
    )
)


# first bytes → (kind, extension): what a photo or video really is, whatever its name or the server says
def sniff(head: bytes) -> tuple[str, str] | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "photo", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo", "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "photo", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "photo", "webp"
    if head[4:8] == b"ftyp":  # ISO base media: what it holds is told by the major brand
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return "photo", "heic"
        if brand in (b"avif", b"avis"):
            return "photo", "avif"
        if brand == b"qt  ":
            return "video", "mov"
        if brand in _MP4_BRANDS or brand.startswith((b"3gp", b"3g2", b"iso")):
            return "video", "mp4"
        return None  # audio (M4A), a camera's raw photo (crx) and the like: not a photo or video we can show
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "webm"
    return None
