"""Fake Telegram Bot API: getUpdates with offset confirmation, sendMessage with reply_parameters, setWebhook /
deleteWebhook / getWebhookInfo (with getUpdates refused while a webhook is set, as Telegram does)."""

from __future__ import annotations

import copy
import itertools
import re
import time
from typing import Any

from .base import FakeServer, Request, Response, load_fixture


class FakeTelegram(FakeServer):
    network = "telegram"

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, token: str = "123456:TEST-token") -> None:  # noqa: S107
        super().__init__(host, port)
        self.token = token
        self.updates: list[dict[str, Any]] = copy.deepcopy(load_fixture("telegram", "updates.json"))
        self._update_ids = itertools.count(max(u["update_id"] for u in self.updates) + 1)
        self._message_ids = itertools.count(1000)
        self.webhook: dict[str, Any] = {}  # what setWebhook was given; empty when none is set
        self.chats = {
            u["message"]["chat"]["id"]: u["message"]["chat"] for u in self.updates if "message" in u
        }

    def push(self, kind: str, message: dict[str, Any]) -> int:
        with self.lock:
            update_id = next(self._update_ids)
            self.updates.append({"update_id": update_id, kind: message})
            return int(update_id)

    def comment(self, text: str, *, reply_to: int = 311, message_id: int | None = None) -> dict[str, Any]:
        """A new comment in the discussion group replying to message ``reply_to``."""
        group = next(iter(self.chats.values()))
        message = {
            "message_id": message_id or next(self._message_ids),
            "from": {"id": 501003, "is_bot": False, "first_name": "Анна"},
            "chat": group,
            "date": int(time.time()),
            "message_thread_id": 310,
            "reply_to_message": {"message_id": reply_to, "chat": group, "date": int(time.time()) - 60},
            "text": text,
        }
        self.push("message", message)
        return message

    def handle(self, request: Request) -> Response:
        prefix, _, method = request.path.lstrip("/").partition("/")
        if prefix != f"bot{self.token}":
            return Response(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        failure = self.take_failure(method)
        if failure is not None and failure.get("after"):
            with self.lock:
                if method == "sendMessage":
                    self._send_message(request.params)
            return Response(502, "Bad Gateway")
        if failure is not None:
            code = int(failure.get("error_code", 400))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": code,
                "description": failure.get("description", ""),
            }
            if code == 429:
                retry_after = int(failure.get("retry_after", 1))
                body["description"] = f"Too Many Requests: retry after {retry_after}"
                body["parameters"] = {"retry_after": retry_after}
            return Response(code, body)
        params = request.params
        with self.lock:
            if method == "getUpdates":
                if self.webhook:
                    return _error(
                        409, "Conflict: can't use getUpdates method while webhook is active; "
                        "use deleteWebhook to delete the webhook first",
                    )  # fmt: skip
                return Response(body={"ok": True, "result": self._get_updates(params)})
            if method == "setWebhook":
                return self._set_webhook(params)
            if method == "deleteWebhook":
                if params.get("drop_pending_updates"):
                    self.updates = []
                self.webhook = {}
                return Response(body={"ok": True, "result": True, "description": "Webhook was deleted"})
            if method == "getWebhookInfo":
                info = {"url": self.webhook.get("url", ""), "has_custom_certificate": False}
                info["pending_update_count"] = len(self.updates)
                if self.webhook.get("allowed_updates"):
                    info["allowed_updates"] = self.webhook["allowed_updates"]
                return Response(body={"ok": True, "result": info})
            if method == "sendMessage":
                return self._send_message(params)
            if method == "getMe":
                return Response(
                    body={
                        "ok": True,
                        "result": {
                            "id": 123456,
                            "is_bot": True,
                            "first_name": "Отклик",
                            "username": "otklik_demo_bot",
                            "can_read_all_group_messages": True,
                        },
                    }
                )
        return Response(404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"})

    def _set_webhook(self, p: dict[str, Any]) -> Response:
        url = str(p.get("url") or "")
        if not url:  # an empty url removes the webhook
            self.webhook = {}
            return Response(body={"ok": True, "result": True, "description": "Webhook was deleted"})
        if not url.startswith("https://"):
            return _error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            return _error(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = {
            k: p[k] for k in ("url", "secret_token", "allowed_updates", "max_connections") if k in p
        }
        return Response(body={"ok": True, "result": True, "description": "Webhook was set"})

    def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(p.get("offset") or 0)
        limit = min(max(int(p.get("limit") or 100), 1), 100)
        if offset:
            # Asking with an offset confirms every earlier update: Telegram forgets them.
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return copy.deepcopy(self.updates[:limit])

    def _send_message(self, p: dict[str, Any]) -> Response:
        chat_id = int(p["chat_id"])
        text = str(p.get("text", ""))
        if not text or len(text) > 4096:
            return Response(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: message text is empty or too long",
                },
            )
        chat = self.chats.get(chat_id, {"id": chat_id, "type": "supergroup", "title": "?"})
        message = {
            "message_id": next(self._message_ids),
            "from": {"id": 123456, "is_bot": True, "first_name": "Отклик", "username": "otklik_demo_bot"},
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        reply = p.get("reply_parameters")
        if isinstance(reply, dict):
            message["reply_to_message"] = {"message_id": reply.get("message_id"), "chat": chat, "date": 0}
        self.published.append(dict(p))
        return Response(body={"ok": True, "result": message})


def _error(code: int, description: str) -> Response:
    return Response(code, {"ok": False, "error_code": code, "description": description})
