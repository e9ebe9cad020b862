"""Fake VK API 5.199: wall.get, wall.getComments (threads), wall.getComment, newsfeed.search,
wall.createComment."""

from __future__ import annotations

import contextlib
import copy
import itertools
import struct
import time
import zlib
from collections import deque
from collections.abc import Iterable
from typing import Any, Self

from .base import FakeServer, Request, Response, load_fixture

ERROR_MESSAGES = {
    1: "Unknown error occurred",
    5: "User authorization failed: invalid access_token (4).",
    6: "Too many requests per second",
    9: "Flood control",
    10: "Internal server error",
    14: "Captcha needed",
    15: "Access denied",
    29: "Rate limit reached",
    100: "One of the parameters specified was missing or invalid",
    212: "Access to post comments denied",
}


PHOTO_CDN = "https://sun9-2.userapi.com"  # where the fixtures' photos live


class VKError(Exception):
    """A method's refusal, answered as VK's ``{"error": ...}``."""

    def __init__(self, code: int, msg: str) -> None:
        super().__init__(msg)
        self.code = code
        self.msg = msg


def tiny_png(width: int = 48, height: int = 32) -> bytes:
    """A real PNG (a blue rectangle) for the fake photo CDN."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x2f\x6d\xb5" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class FakeVK(FakeServer):
    network = "vk"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, token: str = "vk-test-token") -> None:  # noqa: S107
        super().__init__(host, port)
        self.token = token
        self.rate_limit = 0.0  # requests per second per token; 0 = not enforced
        self._stamps: deque[float] = deque()
        wall = load_fixture("vk", "wall_get.json")["response"]
        comments = load_fixture("vk", "comments.json")
        search = load_fixture("vk", "newsfeed_search.json")
        self.groups = {g["id"]: g for g in wall["groups"] + comments["groups"] + search["groups"]}
        self.profiles = {p["id"]: p for p in comments["profiles"] + search["profiles"]}
        self.posts: list[dict[str, Any]] = copy.deepcopy(wall["items"])
        self.comments: list[dict[str, Any]] = copy.deepcopy(comments["items"])
        self.search_items: list[dict[str, Any]] = copy.deepcopy(search["items"])
        self._ids = itertools.count(5000)
        self._guids: dict[str, dict[str, Any]] = {}
        self.serve_photos = False  # True: photo links point at this fake, which serves them (the demo)

    def start(self) -> Self:
        super().start()
        if self.serve_photos:
            with self.lock:
                for items in (self.posts, self.comments, self.search_items):
                    _rehost(items, PHOTO_CDN, self.url)
        return self

    def timed(self) -> list[Any]:
        """Posts (with their photos), comments and search results: their ``date`` (`make_current`)."""
        return [self.posts, self.comments, self.search_items]

    # --- state helpers for tests ---------------------------------------------------------------------------
    def add_comment(
        self, post_id: int, text: str, *, from_id: int = 1111111, reply_to: int | None = None
    ) -> int:
        with self.lock:
            post = next(p for p in self.posts if p["id"] == post_id)
            cid = next(self._ids)
            comment: dict[str, Any] = {
                "id": cid,
                "from_id": from_id,
                "date": int(time.time()),
                "text": text,
                "post_id": post_id,
                "owner_id": post["owner_id"],
                "parents_stack": [],
                "likes": {"can_like": 1, "count": 0, "user_likes": 0, "can_publish": 1},
            }
            if reply_to is not None:
                parent = next(c for c in self.comments if c["id"] == reply_to)
                comment["parents_stack"] = (
                    [*parent["parents_stack"], reply_to] if parent["parents_stack"] else [reply_to]
                )
                comment["parents_stack"] = comment["parents_stack"][:1]  # VK threads are one level deep
                comment["reply_to_comment"] = reply_to
                comment["reply_to_user"] = parent["from_id"]
            self.comments.append(comment)
            return cid

    def add_wall(
        self,
        posts: Iterable[dict[str, Any]],
        comments: Iterable[dict[str, Any]] = (),
        profiles: Iterable[dict[str, Any]] = (),
        groups: Iterable[dict[str, Any]] = (),
    ) -> None:
        """Put posts and comments as VK lists them (items in the API's shape, their ids kept), with their authors:
        a wall written before this fake started (the demo's Governor's posts, stored by `otklik demo`). Items it
        already has are kept as they are; comments created afterwards get ids above every one of these."""
        with self.lock:
            have = {(p["owner_id"], p["id"]) for p in self.posts}
            self.posts.extend(copy.deepcopy([p for p in posts if (p["owner_id"], p["id"]) not in have]))
            have = {(c["owner_id"], c["id"]) for c in self.comments}
            self.comments.extend(copy.deepcopy([c for c in comments if (c["owner_id"], c["id"]) not in have]))
            self.comments.sort(key=lambda c: c["id"])
            self.profiles.update({p["id"]: copy.deepcopy(p) for p in profiles})
            self.groups.update({g["id"]: copy.deepcopy(g) for g in groups})
            top = max((c["id"] for c in self.comments), default=0)
            self._ids = itertools.count(max(next(self._ids), top + 1))

    def delete_comment(self, comment_id: int) -> None:
        """As a moderator or the author deleting it: gone from the post's count and every listing, except that
        a top-level comment with replies stays listed as a placeholder (``deleted: true``, no text) holding its
        thread, as VK shows it."""
        with self.lock:
            comment = next(c for c in self.comments if c["id"] == comment_id)
            if not comment["parents_stack"] and any(
                c["parents_stack"][:1] == [comment_id] for c in self.comments
            ):
                comment.update(text="", deleted=True, attachments=[])
                comment.pop("likes", None)
                return
            self.comments = [c for c in self.comments if c["id"] != comment_id]

    def restore_comment(self, comment: dict[str, Any]) -> None:
        """As VK's «Восстановить» right after a deletion: the comment (as it was before) is listed again."""
        with self.lock:
            others = [c for c in self.comments if c["id"] != comment["id"]]
            self.comments = sorted([*others, copy.deepcopy(comment)], key=lambda c: c["id"])

    def edit_comment(self, comment_id: int, text: str) -> None:
        with self.lock:
            next(c for c in self.comments if c["id"] == comment_id)["text"] = text

    # --- protocol ------------------------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if request.path.startswith("/impg/"):  # the photo CDN (serve_photos)
            if request.path.endswith("/missing.jpg"):
                return Response(404, "Not Found")
            if request.path.endswith(".html"):
                return Response(200, "<script>alert(1)</script>", {"Content-Type": "image/jpeg"})
            return Response(200, tiny_png(), {"Content-Type": "image/jpeg"})
        method = request.path.rsplit("/", 1)[-1]
        params = request.params
        token = params.get("access_token") or request.headers.get("authorization", "").removeprefix("Bearer ")
        if params.get("v") != "5.199":
            return self._error(8, "Invalid request: versions below 5.0 are deprecated", params)
        if token != self.token:
            return self._error(5, ERROR_MESSAGES[5], params)
        if self.rate_limit:
            now = time.monotonic()
            with self.lock:
                while self._stamps and now - self._stamps[0] >= 1.0:
                    self._stamps.popleft()
                if len(self._stamps) >= self.rate_limit:
                    return self._error(6, ERROR_MESSAGES[6], params)
                self._stamps.append(now)
        failure = self.take_failure(method)
        if failure is not None and failure.get("after"):
            # The action happens but the answer is lost on the way back (a timeout, a dropped connection).
            with self.lock, contextlib.suppress(VKError):
                self._create_comment(params) if method == "wall.createComment" else None
            return Response(502, "Bad Gateway")
        if failure is not None:
            code = int(failure["code"])
            return self._error(code, ERROR_MESSAGES.get(code, "Error"), params, failure)
        handler = {
            "wall.get": self._wall_get,
            "wall.getComments": self._get_comments,
            "wall.getComment": self._get_comment,
            "newsfeed.search": self._search,
            "wall.createComment": self._create_comment,
        }.get(method)
        if handler is None:
            return self._error(3, "Unknown method passed", params)
        with self.lock:
            try:
                return Response(body={"response": handler(params)})
            except VKError as exc:
                return self._error(exc.code, exc.msg, params)

    def _error(
        self, code: int, msg: str, params: dict[str, Any], extra: dict[str, Any] | None = None
    ) -> Response:
        error: dict[str, Any] = {
            "error_code": code,
            "error_msg": msg,
            "request_params": [{"key": k, "value": str(v)} for k, v in params.items() if k != "access_token"],
        }
        if code == 14:
            error.update(
                captcha_sid="548239563512", captcha_img="https://api.vk.com/captcha.php?sid=548239563512"
            )
        if extra and extra.get("http_status"):
            return Response(int(extra["http_status"]), "Bad Gateway")
        return Response(body={"error": error})

    def _count(self, post_id: int) -> int:
        return sum(1 for c in self.comments if c["post_id"] == post_id and not c.get("deleted"))

    def _extended(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        ids = {i.get("from_id") for i in items} | {
            t.get("from_id") for i in items for t in (i.get("thread") or {}).get("items", [])
        }
        return {
            "profiles": [self.profiles[i] for i in ids if isinstance(i, int) and i in self.profiles],
            "groups": [self.groups[-i] for i in ids if isinstance(i, int) and -i in self.groups],
        }

    def _wall_get(self, p: dict[str, Any]) -> dict[str, Any]:
        owner = int(p.get("owner_id", 0))
        offset, count = int(p.get("offset", 0)), min(int(p.get("count", 20)), 100)
        items = sorted((x for x in self.posts if x["owner_id"] == owner), key=lambda x: -x["id"])
        page = copy.deepcopy(items[offset : offset + count])
        for item in page:
            item["comments"]["count"] = self._count(item["id"])
        result: dict[str, Any] = {"count": len(items), "items": page}
        if p.get("extended") == "1":
            result.update(profiles=[], groups=[self.groups[-owner]] if -owner in self.groups else [])
        return result

    def _get_comments(self, p: dict[str, Any]) -> dict[str, Any]:
        owner, post_id = int(p["owner_id"]), int(p["post_id"])
        offset, count = int(p.get("offset", 0)), min(int(p.get("count", 10)), 100)
        under = [c for c in self.comments if c["owner_id"] == owner and c["post_id"] == post_id]
        if p.get("comment_id"):
            root = int(p["comment_id"])
            level = [c for c in under if c["parents_stack"][:1] == [root]]
        else:
            level = [c for c in under if not c["parents_stack"]]
        level.sort(key=lambda c: c["id"], reverse=p.get("sort") == "desc")
        if p.get("start_comment_id"):
            start = int(p["start_comment_id"])
            level = [c for c in level if c["id"] >= start]
        page = copy.deepcopy(level[offset : offset + count])
        thread_items = min(int(p.get("thread_items_count", 0)), 10)
        if not p.get("comment_id"):
            for c in page:
                replies = sorted(
                    (r for r in under if r["parents_stack"][:1] == [c["id"]]), key=lambda r: r["id"]
                )
                c["thread"] = {
                    "count": len(replies),
                    "items": copy.deepcopy(replies[:thread_items]) if thread_items else [],
                    "can_post": True,
                    "show_reply_button": True,
                    "groups_can_post": True,
                }
        result: dict[str, Any] = {
            "count": len(under),
            "current_level_count": len(level),
            "can_post": True,
            "show_reply_button": True,
            "groups_can_post": True,
            "items": page,
        }
        if p.get("extended") == "1":
            result.update(self._extended(page))
        return result

    def _get_comment(self, p: dict[str, Any]) -> dict[str, Any]:
        """One comment by id (a deleted one with replies as its placeholder); a comment that is gone is refused
        as an invalid parameter (*unverified*: VK's exact code for it)."""
        owner, cid = int(p["owner_id"]), int(p["comment_id"])
        found = [c for c in self.comments if c["owner_id"] == owner and c["id"] == cid]
        if not found:
            raise VKError(
                100, "One of the parameters specified was missing or invalid: comment_id is invalid"
            )
        items = copy.deepcopy(found)
        result: dict[str, Any] = {
            "items": items,
            "can_post": True,
            "show_reply_button": True,
            "groups_can_post": True,
        }
        if p.get("extended") == "1":
            result.update(self._extended(items))
        return result

    def _search(self, p: dict[str, Any]) -> dict[str, Any]:
        q = str(p.get("q", "")).lower()
        start_time = int(p.get("start_time") or 0)
        count = min(int(p.get("count", 30)), 200)
        offset = int(p.get("start_from") or 0)
        found = sorted(
            (i for i in self.search_items if q in i["text"].lower() and i["date"] >= start_time),
            key=lambda i: -i["date"],
        )
        page = copy.deepcopy(found[offset : offset + count])
        result: dict[str, Any] = {"items": page, "count": len(page), "total_count": len(found)}
        if offset + count < len(found):
            result["next_from"] = str(offset + count)
        if p.get("extended") == "1":
            result.update(self._extended(page))
        return result

    def _create_comment(self, p: dict[str, Any]) -> dict[str, Any]:
        guid = p.get("guid")
        if guid and guid in self._guids:
            # The same guid never makes a second comment.
            return self._guids[guid]
        owner, post_id = int(p["owner_id"]), int(p["post_id"])
        cid = next(self._ids)
        reply_to = int(p["reply_to_comment"]) if p.get("reply_to_comment") else None
        parents: list[int] = []
        if reply_to:
            parent = next((c for c in self.comments if c["id"] == reply_to), None)
            if parent is None or parent.get("deleted"):
                # A reply to a deleted comment is refused (*unverified*: VK's exact code and text for it).
                raise VKError(
                    100, "One of the parameters specified was missing or invalid: reply_to_comment is invalid"
                )
            parents = parent["parents_stack"][:1] if parent["parents_stack"] else [reply_to]
        from_id = -int(p["from_group"]) if p.get("from_group") else 1
        comment = {
            "id": cid,
            "from_id": from_id,
            "date": int(time.time()),
            "text": p.get("message", ""),
            "post_id": post_id,
            "owner_id": owner,
            "parents_stack": parents,
        }
        if reply_to:
            comment["reply_to_comment"] = reply_to
        self.comments.append(comment)
        self.published.append(dict(p))
        result = {"comment_id": cid, "parents_stack": parents}
        if guid:
            self._guids[guid] = result
        return result


def _rehost(value: Any, old: str, new: str) -> Any:
    """Point every link under ``old`` at ``new`` in place (nested dicts and lists)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and item.startswith(old):
                value[key] = new + item[len(old) :]
            else:
                _rehost(item, old, new)
    elif isinstance(value, list):
        for item in value:
            _rehost(item, old, new)
    return value
