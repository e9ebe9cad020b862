"""The address a request came from, for the sign-in lockout (django-axes' `AXES_CLIENT_IP_CALLABLE`; R-4.2–4.3).

Without a proxy the address is the connection's (`REMOTE_ADDR`). Behind a TLS proxy (nginx in front of the WSGI
server, as README § Configuration describes) every connection comes from the proxy, so the lock of «5 failures per
name and address» would be per name alone: anybody could lock a colleague out by typing wrong passwords under her
name. An installation behind proxies says how many with `OTKLIK_PROXY_COUNT` (settings.py); the client's address is
then read from `X-Forwarded-For`, counting that many entries from its right end — the ones the installation's own
proxies appended. What stands further left was sent by the client itself and could be anything, so it is never read.
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
