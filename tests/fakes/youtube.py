"""Fake YouTube Data API v3: commentThreads.list (newest first, pageToken), comments.list, comments.insert."""

from __future__ import annotations

import copy
import html
import itertools
from datetime import UTC, datetime
from typing import Any

from .base import FakeServer, Request, Response, load_fixture


class FakeYouTube(FakeServer):
    network = "youtube"

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, api_key: str = "yt-key", oauth: str = "yt-oauth"
    ) -> None:
        super().__init__(host, port)
        self.api_key, self.oauth = api_key, oauth
        self.videos: dict[str, list[dict[str, Any]]] = copy.deepcopy(
            load_fixture("youtube", "comment_threads.json")["videos"]
        )
        self.page_size = 2
        self._ids = itertools.count(1)

    def timed(self) -> list[Any]:
        """The videos' threads and replies: ``publishedAt`` and ``updatedAt`` (`make_current`)."""
        return [self.videos]

    def _error(self, status: int, reason: str, message: str = "") -> Response:
        return Response(
            status,
            {
                "error": {
                    "code": status,
                    "message": message or reason,
                    "errors": [
                        {"message": message or reason, "domain": "youtube.commentThread", "reason": reason}
                    ],
                }
            },
        )

    def add_thread(
        self, video: str, text: str, author: str = "Новый зритель", *, at: datetime | None = None
    ) -> str:
        """A new thread on top of the list; ``at``: when it was written (now by default)."""
        now = (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        tid = f"UgzNew{next(self._ids)}AaABAg"
        top = {
            "kind": "youtube#comment",
            "id": tid,
            "snippet": {
                "videoId": video,
                "textDisplay": text,
                "textOriginal": text,
                "authorDisplayName": author,
                "authorChannelUrl": "http://www.youtube.com/@new",
                "authorChannelId": {"value": "UCnew"},
                "likeCount": 0,
                "publishedAt": now,
                "updatedAt": now,
            },
        }
        with self.lock:
            self.videos[video].insert(
                0,
                {
                    "kind": "youtube#commentThread",
                    "id": tid,
                    "snippet": {
                        "videoId": video,
                        "topLevelComment": top,
                        "canReply": True,
                        "totalReplyCount": 0,
                        "isPublic": True,
                    },
                },
            )
        return tid

    def add_reply(self, thread: str, text: str, author: str = "Автор вопроса") -> str:
        """A viewer's reply in thread ``thread`` (which keeps its place in the list, as on YouTube)."""
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self.lock:
            for threads in self.videos.values():
                for t in threads:
                    if t["id"] == thread:
                        cid = f"{thread}.Reply{next(self._ids)}"
                        t.setdefault("replies", {"comments": []})["comments"].append(
                            {
                                "kind": "youtube#comment",
                                "id": cid,
                                "snippet": {
                                    "parentId": thread,
                                    "textOriginal": text,
                                    "authorDisplayName": author,
                                    "authorChannelUrl": "http://www.youtube.com/@author",
                                    "authorChannelId": {"value": "UCauthor"},
                                    "likeCount": 0,
                                    "publishedAt": now,
                                    "updatedAt": now,
                                },
                            }
                        )
                        t["snippet"]["totalReplyCount"] = len(t["replies"]["comments"])
                        return cid
        raise KeyError(thread)

    def handle(self, request: Request) -> Response:
        resource = request.path.rstrip("/").rsplit("/", 1)[-1]
        authorised = (
            request.query.get("key") == self.api_key
            or request.headers.get("authorization") == f"Bearer {self.oauth}"
        )
        if not authorised:
            return self._error(
                401 if "authorization" in request.headers else 403, "forbidden", "API key not valid"
            )
        failure = self.take_failure(resource)
        if failure is not None:
            return self._error(int(failure.get("status", 403)), failure["reason"])
        with self.lock:
            if resource == "commentThreads":
                return self._threads(request.query)
            if resource == "comments" and request.method == "GET":
                return self._replies(request.query)
            if resource == "comments" and request.method == "POST":
                return self._insert(request)
        return self._error(404, "notFound")

    @staticmethod
    def _as_listed(comment: dict[str, Any], q: dict[str, str]) -> None:
        """As the list methods show a comment to anybody but its author: no ``textOriginal``, and
        ``textDisplay`` in the ``textFormat`` asked for (HTML unless ``plainText``)."""
        snippet = comment.get("snippet") or {}
        original = snippet.pop("textOriginal", None)
        if original is None:
            return
        if q.get("textFormat") == "plainText":
            snippet["textDisplay"] = original
        else:
            snippet["textDisplay"] = html.escape(original).replace("\n", "<br>")

    def _page(self, items: list[dict[str, Any]], q: dict[str, str]) -> dict[str, Any]:
        start = int(q.get("pageToken") or 0)
        size = min(int(q.get("maxResults", 20)), self.page_size)
        result: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "pageInfo": {"totalResults": len(items[start : start + size]), "resultsPerPage": size},
            "items": copy.deepcopy(items[start : start + size]),
        }
        if start + size < len(items):
            result["nextPageToken"] = str(start + size)
        return result

    def _threads(self, q: dict[str, str]) -> Response:
        if q.get("videoId") not in self.videos:
            return self._error(404, "videoNotFound")
        threads = copy.deepcopy(self.videos[q["videoId"]])
        for t in threads:
            replies = t.get("replies", {}).get("comments", [])
            if len(replies) > 5:
                t["replies"]["comments"] = replies[:5]  # the list endpoint inlines at most five replies
            self._as_listed(t["snippet"]["topLevelComment"], q)
            for reply in t.get("replies", {}).get("comments", []):
                self._as_listed(reply, q)
        return Response(body=self._page(threads, q))

    def _replies(self, q: dict[str, str]) -> Response:
        parent = q.get("parentId", "")
        for threads in self.videos.values():
            for t in threads:
                if t["id"] == parent:
                    replies = copy.deepcopy(t.get("replies", {}).get("comments", []))
                    for reply in replies:
                        self._as_listed(reply, q)
                    return Response(body=self._page(replies, q))
        return self._error(404, "commentNotFound")

    def _insert(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.oauth}":
            return self._error(401, "authError")
        snippet = (request.json or {}).get("snippet") or {}
        parent = snippet.get("parentId")
        for threads in self.videos.values():
            for t in threads:
                if t["id"] == parent:
                    cid = f"{parent}.Reply{next(self._ids)}"
                    comment = {
                        "kind": "youtube#comment",
                        "id": cid,
                        "snippet": {
                            "parentId": parent,
                            "textOriginal": snippet.get("textOriginal", ""),
                            "textDisplay": snippet.get("textOriginal", ""),
                            "authorDisplayName": "Отклик",
                            "publishedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        },
                    }
                    t.setdefault("replies", {"comments": []})["comments"].append(comment)
                    t["snippet"]["totalReplyCount"] += 1
                    self.published.append({"parentId": parent, "textOriginal": snippet.get("textOriginal")})
                    return Response(body=comment)
        return self._error(404, "commentNotFound")
