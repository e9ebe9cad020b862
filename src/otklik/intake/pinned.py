"""An httpx transport that connects only to addresses checked beforehand (R-4, SSRF: DNS rebinding).

Checking a host's addresses and then letting httpx resolve the name again for the connection is not a check: a
hostile DNS server can answer a public address the first time and 127.0.0.1 or 10.x the second. Here the name is
never resolved again: the network backend connects to the very addresses pinned for the host and port, while
httpx still sees the URL's host name, so the ``Host`` header, TLS SNI and the certificate check stay on the name.

A connection to a host and port that nothing was pinned for is refused, except to the origins a caller trusts (the
feed address an administrator configured and its host's http and https ports, `integrations.feeds.connector`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import httpcore
import httpx

Origin = tuple[
    str, int
]  # the host as httpx connects to it (IDNA, lower case, IPv6 without brackets), the port


def origin_of(url: httpx.URL) -> Origin:
    port = url.port or (443 if url.scheme == "https" else 80)
    return url.raw_host.decode("ascii").lower(), port


def same_site(url: httpx.URL) -> frozenset[Origin]:
    """The origins of ``url``'s own site: its origin, and its host on the standard http and https ports (a site
    that redirects to itself adds a slash or moves to https; another port of the host may be another service)."""
    host, port = origin_of(url)
    return frozenset({(host, port), (host, 80), (host, 443)})


class PinnedBackend(httpcore.NetworkBackend):
    """Connects a host name only to the addresses pinned for it, in the order given (the first that answers)."""

    def __init__(self) -> None:
        self._system = httpcore.SyncBackend()
        self._pins: dict[Origin, list[str]] = {}
        self._trusted: frozenset[Origin] = frozenset()

    def reset(self, trusted: Collection[Origin] = ()) -> None:
        """Forget the pins; ``trusted``: the origins that may be connected as the system resolves them."""
        self._pins.clear()
        self._trusted = frozenset(trusted)

    def pin(self, origin: Origin, addresses: Sequence[str]) -> None:
        self._pins[origin] = list(addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        origin = (host.lower(), port)
        addresses = self._pins.get(origin)
        if addresses is None:
            if origin in self._trusted:
                return self._system.connect_tcp(host, port, timeout, local_address, socket_options)
            raise httpcore.ConnectError(f"{host}:{port} was not checked before connecting: refused")
        failure: Exception = httpcore.ConnectError(f"{host}:{port} has no checked address")
        for address in addresses:
            try:
                return self._system.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not connected by a pinned backend")

    def sleep(self, seconds: float) -> None:
        self._system.sleep(seconds)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (its request and error mapping) over a connection pool with a `PinnedBackend`.

    It connects directly (`safety.CheckedClient` sends a hop through the environment's proxy instead when httpx
    would: a proxy resolves the name itself).
    """

    def __init__(self, backend: PinnedBackend) -> None:
        super().__init__()
        # httpx builds its pool without a way to pass a network backend: replace it, and fail loudly should a
        # later httpx keep its pool elsewhere (the pins would then be silently ignored).
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError(
                "httpx.HTTPTransport has no connection pool in `_pool`: addresses cannot be pinned"
            )
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=backend,
        )
