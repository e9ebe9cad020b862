"""Fake OK API: ``fb.do`` checking the md5 ``sig``; ``discussions.getComments`` with ``anchor``."""

from __future__ import annotations

import copy
from typing import Any

from otklik.integrations.ok.client import signature

from .base import FakeServer, Request, Response, load_fixture


class FakeOK(FakeServer):
    network = "ok"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        application_key: str = "CBAFAKEKEY",
        secret_key: str = "fake-secret",  # noqa: S107
        token: str = "ok-test-token",  # noqa: S107
    ) -> None:
        super().__init__(host, port)
        self.application_key, self.secret_key, self.token = application_key, secret_key, token
        self.topics: dict[str, list[dict[str, Any]]] = copy.deepcopy(
            load_fixture("ok", "topic_comments.json")["topics"]
        )

    def timed(self) -> list[Any]:
        """The topics' comments: their ``date`` in Moscow time (`make_current`)."""
        return [self.topics]

    def _error(self, code: int, msg: str) -> Response:
        return Response(
            200, {"error_code": code, "error_msg": msg, "error_data": None}, {"invocation-error": str(code)}
        )

    def handle(self, request: Request) -> Response:
        p = request.params
        if p.get("application_key") != self.application_key or p.get("access_token") != self.token:
            return self._error(102, "PARAM_SESSION_EXPIRED : Session expired")
        if p.get("sig") != signature(p, self.token, self.secret_key):
            return self._error(104, "PARAM_SIGNATURE : Invalid signature")
        method = p.get("method", "")
        failure = self.take_failure(method)
        if failure is not None:
            return self._error(int(failure["code"]), failure.get("msg", "error"))
        if method != "discussions.getComments":
            return self._error(3, "METHOD : Method not found")
        with self.lock:
            comments = self.topics.get(p.get("discussionId", ""))
            if comments is None:
                return self._error(106, "INVALID_ENTITY_ID")
            start = int(p["anchor"]) if p.get("anchor") else 0
            count = int(p.get("count", 20))
            page = comments[start : start + count]
            end = start + len(page)
            return Response(
                body={"comments": copy.deepcopy(page), "anchor": str(end), "has_more": end < len(comments)}
            )
