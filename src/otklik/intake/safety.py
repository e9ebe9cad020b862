"""Outbound fetches of untrusted URLs (attachments): no private, loopback or link-local targets, size limits.

A message can carry any URL; fetching it from inside the office network must not reach internal services
(SSRF). ``settings.OTKLIK_ALLOW_PRIVATE_FETCH = True`` lifts the address check, for tests against loopback fakes.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import httpx
from django.conf import settings

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


class UnsafeURL(ValueError):
    pass


def _allowed_private() -> bool:
    return bool(getattr(settings, "OTKLIK_ALLOW_PRIVATE_FETCH", False))


def check_address(ip: str) -> None:
    addr = ipaddress.ip_address(ip)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    if not addr.is_global or addr.is_multicast:
        raise UnsafeURL(f"address {ip} is not public")


def check_url(url: str) -> list[str]:
    """The resolved addresses of ``url`` after refusing non-HTTP schemes and non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeURL(f"only http(s) URLs with a host can be fetched: {url[:200]!r}")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials are refused")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"cannot resolve {parts.hostname!r}: {exc}") from exc
    addresses = sorted({str(info[4][0]) for info in infos})
    if not _allowed_private():
        for ip in addresses:
            check_address(ip)
    return addresses


def fetch_attachment(url: str, *, max_bytes: int = MAX_ATTACHMENT_BYTES, timeout: float = 20.0) -> bytes:
    """Download an attachment, refusing unsafe targets (also after each redirect) and oversize bodies."""
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _ in range(5):
            check_url(current)
            with client.stream("GET", current) as response:
                if response.is_redirect:
                    current = str(response.url.join(response.headers.get("location", "")))
                    continue
                response.raise_for_status()
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise UnsafeURL(f"attachment of {declared} bytes exceeds the limit of {max_bytes}")
                chunks: list[bytes] = []
                total = 0
                for chunk in response.iter_bytes():
                    total += len(chunk)
                    if total > max_bytes:
                        raise UnsafeURL(f"attachment exceeds the limit of {max_bytes} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
    raise UnsafeURL("too many redirects")


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
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1"):
            return "photo", "heic"
        return "video", "mov" if brand == b"qt  " else "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "webm"
    return None
