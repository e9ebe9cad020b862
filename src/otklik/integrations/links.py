"""One key per message link (R-4): the forms people paste and the form a connector stores name one message.

A message entered by hand or imported under a link its network's id cannot be told from (a blog's item, a public
Telegram channel's message) is stored under ``url:<key>``; the connector's delivery of the same message finds it by
the key of its own link (``intake.pipeline``), and a later entry finds the delivered one by its link
(``intake.manual.find_stored``). The key is the link without what does not change the page: the scheme, ``www.``
and mobile hosts, the networks' other domains (vk.ru, telegram.me, youtu.be), a trailing slash, tracking
parameters (``utm_*`` …) and the order of the parameters. The fragment stays (``#comment-5`` is a comment of
a blog's page), except a text fragment (``#:~:text=``) a browser adds to a copied link.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

PREFIX = "url:"
MAX_KEY_CHARS = 250  # a longer key is replaced by its SHA-256
# Another host of the same site: the key uses the main one.
HOST_ALIASES = {
    "vk.ru": "vk.com",
    "vkontakte.ru": "vk.com",
    "odnoklassniki.ru": "ok.ru",
    "telegram.me": "t.me",
    "telegram.dog": "t.me",
    "youtu.be": "youtube.com",
}
_HOST_PREFIXES = ("www.", "m.", "mobile.")
TRACKING = frozenset(
    {"fbclid", "gclid", "yclid", "ysclid", "_openstat", "mc_cid", "mc_eid", "igshid", "dclid", "msclkid"}
)
# Parameters of a network's share link that do not change which message it shows.
SHARE_PARAMS = {
    "t.me": frozenset({"single", "embed", "mode"}),
    "youtube.com": frozenset({"si", "feature", "pp", "t", "ab_channel"}),
}
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
# t.me/s/<name>/<id> (the web preview), t.me/<name>/<topic>/<id> (a message in a forum topic): t.me/<name>/<id>.
_TG_PREVIEW = re.compile(r"^/s/([^/]+)/(\d+)$")
_TG_TOPIC = re.compile(r"^/([^/]+)/\d+/(\d+)$")
_TG_PUBLIC = re.compile(r"^/([A-Za-z][A-Za-z0-9_]{3,})/(\d+)$")
_VK_WALL = re.compile(r"^/?wall(-?\d+)_(\d+)(?:_r\d+)?$")
# ok.ru/group/<id>/topic/<id>, ok.ru/<group name>/topic/<id>, ok.ru/profile/<id>/statuses/<id>: a discussion of OK
_OK_TOPIC = re.compile(r"^/(?:group/|profile/)?([^/]+)/(?:topic|statuses)/(\d+)")
_YT_VIDEO = re.compile(r"^/(?:shorts/|live/|embed/)?([A-Za-z0-9_-]{11})$")


def host_key(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host.removeprefix(prefix)
            break
    with contextlib.suppress(UnicodeError):  # an odd host is compared as it is written
        host = host.encode("idna").decode("ascii")
    return HOST_ALIASES.get(host, host)


def link_key(url: str) -> str:
    """The link's key text (not yet prefixed); raises ``ValueError`` on a link ``urlsplit`` cannot read."""
    parts = urlsplit(url.strip())
    host = host_key(parts.hostname or "")
    path = quote(unquote(parts.path), safe=_PATH_SAFE).rstrip("/")
    skip = SHARE_PARAMS.get(host, frozenset())
    params = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING and k not in skip
    )
    if host == "youtube.com" and parts.hostname and parts.hostname.lower().endswith("youtu.be") and path:
        params = sorted([*params, ("v", path.strip("/"))])  # youtu.be/<video> is youtube.com/watch?v=<video>
        path = "/watch"
    if host == "t.me":
        for pattern in (_TG_PREVIEW, _TG_TOPIC):
            match = pattern.match(path)
            if match and not path.startswith("/c/"):
                path = f"/{match.group(1)}/{match.group(2)}"
        match = _TG_PUBLIC.match(path)
        if match:  # a username is case-insensitive
            path = f"/{match.group(1).lower()}/{match.group(2)}"
    fragment = "" if parts.fragment.startswith(":~:") else parts.fragment
    return (
        host
        + path
        + (f"?{urlencode(params)}" if params else "")
        + (f"#{quote(unquote(fragment), safe=_PATH_SAFE)}" if fragment else "")
    )


def url_id(url: str) -> str:
    """The id of a message known only by its link: ``url:<key>``."""
    key = link_key(url)
    if len(key) > MAX_KEY_CHARS:
        key = hashlib.sha256(key.encode()).hexdigest()
    return PREFIX + key


def legacy_url_id(url: str) -> str:
    """The id manual entry and imports gave a link before :func:`url_id` (still the key of rows stored then)."""
    parts = urlsplit(url.strip())
    normalised = f"{(parts.hostname or '').lower()}{parts.path.rstrip('/')}" + (
        f"?{parts.query}" if parts.query else ""
    )
    if len(normalised) > MAX_KEY_CHARS:
        normalised = hashlib.sha256(normalised.encode()).hexdigest()
    return PREFIX + normalised


def url_ids(url: str) -> list[str]:
    """Every id a row stored by hand or by import under this link can have; ``[]`` for an unreadable link."""
    try:
        ids = [url_id(url), legacy_url_id(url)]
    except ValueError:
        return []
    return list(dict.fromkeys(i[:300] for i in ids))


def same_link(a: str, b: str) -> bool:
    try:
        return bool(a and b) and link_key(a) == link_key(b)
    except ValueError:
        return False


def telegram_public(url: str) -> tuple[str, int, int | None] | None:
    """``(username, message id, comment id or None)`` of a public Telegram link (t.me/<name>/<id>, its preview
    and topic forms, ``?comment=<id>`` for a comment in the channel's discussion group), else ``None``."""
    try:
        key = link_key(url)
    except ValueError:
        return None
    host, _, rest = key.partition("/")
    if host != "t.me":
        return None
    path, _, query = rest.partition("?")
    match = _TG_PUBLIC.match("/" + path.split("#", 1)[0])
    if not match:
        return None
    comment = dict(parse_qsl(query)).get("comment", "")
    return match.group(1), int(match.group(2)), int(comment) if comment.isdigit() else None


def vk_post(url: str) -> tuple[int, int] | None:
    """``(owner id, post id)`` of a VK post or of a comment under it — vk.com/wall-1_1002,
    vk.com/wall-1_1002?reply=5, vk.com/club1?w=wall-1_1002_r5 (any of VK's hosts) — else ``None``."""
    try:
        parts = urlsplit(url.strip())
        host = host_key(parts.hostname or "")
    except ValueError:
        return None
    if host != "vk.com":
        return None
    for text in [parts.path, *(v for k, v in parse_qsl(parts.query) if k == "w")]:
        match = _VK_WALL.match(text.rstrip("/"))
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def discussion(url: str) -> tuple[str, str] | None:
    """The discussion a comment's link is under, where the network's links say it: an OK group's topic or a status
    (``("ok", "53/777")`` for ok.ru/group/53/topic/777), a YouTube video (``("youtube", "<video id>")`` for
    youtube.com/watch?v=…&lc=…, youtu.be/…, youtube.com/shorts/…); else ``None``. VK has `vk_post`."""
    try:
        parts = urlsplit(url.strip())
        host = host_key(parts.hostname or "")
    except ValueError:
        return None
    if host == "ok.ru":
        match = _OK_TOPIC.match(parts.path)
        return ("ok", f"{match.group(1)}/{match.group(2)}") if match else None
    if host == "youtube.com":
        video = dict(parse_qsl(parts.query)).get("v", "") if parts.path.rstrip("/") == "/watch" else ""
        if not video and (match := _YT_VIDEO.match(parts.path.rstrip("/"))):
            video = match.group(1)
        return ("youtube", video) if video else None
    return None
