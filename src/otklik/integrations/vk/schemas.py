"""VK payloads (posts, comments, Callback API events) -> our posts and messages."""

from __future__ import annotations

from typing import Any

from otklik.integrations.base import ParsedMessage, ParsedPost, ParseError, as_dict, need, utc_from_unix

NETWORK = "vk"
_EMPTY: dict[str, Any] = {}


def post_key(owner_id: int, post_id: int) -> str:
    return f"{owner_id}_{post_id}"


def comment_key(owner_id: int, post_id: int, comment_id: int) -> str:
    return f"{owner_id}_{post_id}_{comment_id}"


def split_key(external_id: str) -> tuple[int, int, int | None]:
    """(owner_id, post_id, comment_id or None) from our external id."""
    parts = external_id.split("_")
    try:
        if len(parts) == 2:
            return int(parts[0]), int(parts[1]), None
        if len(parts) == 3:
            return int(parts[0]), int(parts[1]), int(parts[2])
    except ValueError:
        pass
    raise ValueError(f"not a VK external id: {external_id!r}")


def _author(
    from_id: Any, profiles: dict[int, dict[str, Any]], groups: dict[int, dict[str, Any]]
) -> tuple[str, str, str]:
    if not isinstance(from_id, int):
        return "", "", ""
    if from_id < 0:
        group = groups.get(-from_id, {})
        return str(from_id), str(group.get("name", "")), f"https://vk.com/club{-from_id}"
    profile = profiles.get(from_id, _EMPTY)
    name = f"{profile.get('first_name', '')} {profile.get('last_name', '')}".strip()
    return str(from_id), name, f"https://vk.com/id{from_id}"


def _attachments(item: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for att in item.get("attachments") or []:
        if not isinstance(att, dict):
            continue
        kind = str(att.get("type", ""))
        obj = as_dict(att.get(kind))
        entry: dict[str, Any] = {"type": kind}
        if kind == "photo":
            sizes = [s for s in obj.get("sizes") or [] if isinstance(s, dict) and s.get("url")]
            if sizes:
                entry["url"] = max(sizes, key=lambda s: int(s.get("width") or 0) * int(s.get("height") or 0))[
                    "url"
                ]
        elif kind == "link":
            entry["url"] = obj.get("url", "")
        elif kind in {"video", "doc", "audio"}:
            entry["id"] = f"{obj.get('owner_id')}_{obj.get('id')}"
            if obj.get("url"):
                entry["url"] = obj["url"]
        result.append(entry)
    return result


_last_directory: tuple[Any, tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]] | None = None


def directory(response: dict[str, Any]) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """Authors by id from an ``extended=1`` response; every item of a page shares one, so the last is cached."""
    global _last_directory
    cached = _last_directory
    if cached is not None and cached[0] is response:
        return cached[1]
    result = _directory(response)
    _last_directory = (response, result)
    return result


def _directory(response: dict[str, Any]) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    profiles = {p["id"]: p for p in response.get("profiles") or [] if isinstance(p, dict) and "id" in p}
    groups = {g["id"]: g for g in response.get("groups") or [] if isinstance(g, dict) and "id" in g}
    return profiles, groups


def parse_post(
    item: Any,
    profiles: dict[int, dict[str, Any]] | None = None,
    groups: dict[int, dict[str, Any]] | None = None,
) -> ParsedPost:
    owner_id = need(item, "owner_id", int)
    post_id = need(item, "id", int)
    return ParsedPost(
        network=NETWORK,
        external_id=post_key(owner_id, post_id),
        url=f"https://vk.com/wall{owner_id}_{post_id}",
        text=str(item.get("text") or ""),
        published_at=utc_from_unix(need(item, "date")),
        raw=item,
    )


def parse_post_as_message(
    item: Any,
    profiles: dict[int, dict[str, Any]] | None = None,
    groups: dict[int, dict[str, Any]] | None = None,
) -> ParsedMessage:
    """A post found by ``newsfeed.search`` or posted on a watched wall is itself a message to answer."""
    owner_id = need(item, "owner_id", int)
    post_id = need(item, "id", int)
    author_id, author_name, author_url = _author(item.get("from_id", owner_id), profiles or {}, groups or {})
    text = item.get("text")
    if text is None:
        raise ParseError("missing field 'text'")
    return ParsedMessage(
        network=NETWORK,
        external_id=post_key(owner_id, post_id),
        url=f"https://vk.com/wall{owner_id}_{post_id}",
        author_id=author_id,
        author_name=author_name,
        author_url=author_url,
        text_raw=str(text),
        published_at=utc_from_unix(need(item, "date")),
        attachments=_attachments(item),
        metrics={
            "views": (item.get("views") or {}).get("count", 0),
            "likes": (item.get("likes") or {}).get("count", 0),
            "reposts": (item.get("reposts") or {}).get("count", 0),
            "comments": (item.get("comments") or {}).get("count", 0),
        },
        raw=item,
    )


def parse_comment(
    item: Any,
    owner_id: int | None = None,
    post_id: int | None = None,
    profiles: dict[int, dict[str, Any]] | None = None,
    groups: dict[int, dict[str, Any]] | None = None,
) -> ParsedMessage | None:
    """A comment (``wall.getComments`` item or Callback ``wall_reply_new`` object); ``None`` if deleted."""
    comment_id = need(item, "id", int)
    owner = item.get("owner_id", owner_id) if isinstance(item, dict) else owner_id
    post = item.get("post_id", post_id) if isinstance(item, dict) else post_id
    if not isinstance(owner, int) or not isinstance(post, int):
        raise ParseError("comment without owner_id/post_id")
    if item.get("deleted"):
        return None
    if "text" not in item:
        raise ParseError("missing field 'text'")
    author_id, author_name, author_url = _author(item.get("from_id"), profiles or {}, groups or {})
    parents = [p for p in item.get("parents_stack") or [] if isinstance(p, int)]
    parent = item.get("reply_to_comment") if isinstance(item.get("reply_to_comment"), int) else None
    if parent is None and parents:
        parent = parents[-1]
    return ParsedMessage(
        network=NETWORK,
        external_id=comment_key(owner, post, comment_id),
        url=f"https://vk.com/wall{owner}_{post}?reply={comment_id}"
        + (f"&thread={parents[0]}" if parents else ""),
        author_id=author_id,
        author_name=author_name,
        author_url=author_url,
        text_raw=str(item.get("text") or ""),
        published_at=utc_from_unix(need(item, "date")),
        attachments=_attachments(item),
        post_external_id=post_key(owner, post),
        reply_to_external_id=comment_key(owner, post, parent) if parent else "",
        metrics={"likes": (item.get("likes") or {}).get("count", 0)},
        raw=item,
    )


def parse_comments_response(response: Any, owner_id: int, post_id: int) -> list[ParsedMessage | ParsedPost]:
    """One item of ``wall.getComments``: the comment and the thread replies nested in it."""
    if not isinstance(response, dict):
        raise ParseError("expected an object")
    profiles, groups = directory(response.get("_directory") or _EMPTY)
    item = response.get("item")
    result: list[ParsedMessage | ParsedPost] = []
    top = parse_comment(item, owner_id, post_id, profiles, groups)
    if top:
        result.append(top)
    thread = item.get("thread") if isinstance(item, dict) else None
    for reply in (thread or {}).get("items") or []:
        parsed = parse_comment(reply, owner_id, post_id, profiles, groups)
        if parsed:
            if not parsed.reply_to_external_id and top:
                parsed.reply_to_external_id = top.external_id
            result.append(parsed)
    return result
