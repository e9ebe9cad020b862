"""The address a request came from, for the sign-in lockout (django-axes' `AXES_CLIENT_IP_CALLABLE`; R-4.2–4.3).

Without a proxy the address is the connection's (`REMOTE_ADDR`). Behind a TLS proxy (nginx in front of the WSGI
server, as README § Configuration describes) every connection comes from the proxy, so the lock of «5 failures per
name and address» would be per name alone: anybody could lock a colleague out by typing wrong passwords under her
name. An installation behind proxies says how many with `OTKLIK_PROXY_COUNT` (settings.py); the client's address is
then read from `X-Forwarded-For`, counting that many entries from its right end — the ones the installation's own
proxies appended. What stands further left was sent by the client itself and could be anything, so it is never read.
The header is believed only from a connection of the installation's own proxy (`OTKLIK_TRUSTED_PROXIES`, by default
this machine: 127.0.0.1 and ::1): a request that reached the WSGI server past the proxy could write any address in
it, a new one with every guessed password, and never be locked out.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: `REMOTE_ADDR`, or behind `OTKLIK_PROXY_COUNT` proxies the `X-Forwarded-For` entry that
    the outermost of them appended. A request that did not pass through them (too few entries, or not an address)
    keeps `REMOTE_ADDR`, with a WARNING naming why."""
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "OTKLIK_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    if not _trusted(remote):
        log.warning(
            "OTKLIK_PROXY_COUNT=%d but %s came to %s from %s, not from a proxy of OTKLIK_TRUSTED_PROXIES: its "
            "X-Forwarded-For is not read; the connection's address is used for the sign-in lockout",
            proxies,
            request.method,
            request.path,
            remote,
        )
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if len(forwarded) < proxies:
        log.warning(
            "OTKLIK_PROXY_COUNT=%d but X-Forwarded-For of %s from %s has %d entries: the connection's address is "
            "used for the sign-in lockout (does the proxy set X-Forwarded-For?)",
            proxies,
            request.path,
            remote,
            len(forwarded),
        )
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        log.warning(
            "X-Forwarded-For of %s from %s names %r, not an address: the connection's address is used for the "
            "sign-in lockout",
            request.path,
            remote,
            candidate[:100],
        )
        return remote


def _trusted(remote: str | None) -> bool:
    """Whether the connection comes from one of the installation's proxies (`OTKLIK_TRUSTED_PROXIES`: addresses or
    networks)."""
    if not remote:
        return False
    try:
        address = ipaddress.ip_address(remote)
    except ValueError:
        return False
    for entry in getattr(settings, "OTKLIK_TRUSTED_PROXIES", ("127.0.0.1", "::1")):
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            log.warning("OTKLIK_TRUSTED_PROXIES: %r is not an address or a network; ignored", entry)
    return False
