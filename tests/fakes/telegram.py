"""Fake Telegram Bot API: getUpdates with offset confirmation, sendMessage with reply_parameters, setWebhook /
deleteWebhook / getWebhookInfo (with getUpdates refused while a webhook is set, as Telegram does), getFile and
the file downloads at ``/file/bot<token>/<file_path>`` (files put with :meth:`FakeTelegram.add_file`)."""

from __future__ import annotations

import copy
import itertools
import re
import time
from typing import Any

from .base import FakeServer, Request, Response, load_fixture

MAX_BOT_FILE = 20 * 1024 * 1024  # getFile refuses larger files: "Bad Request: file is too big"
# Where the Bot API keeps each kind of file (file_path "photos/file_3.jpg"), and the extension it gives.
FOLDERS = {
    "photo": ("photos", "jpg"),
    "video": ("videos", "mp4"),
    "video_note": ("video_notes", "mp4"),
    "voice": ("voice", "oga"),
    "audio": ("music", "mp3"),
    "document": ("documents", "pdf"),
    "animation": ("animations", "mp4"),
    "sticker": ("stickers", "webp"),
}


def tiny_jpeg() -> bytes:
    """The start of a JPEG (what a Telegram photo is): enough for the type to be told by its first bytes."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
    )


def tiny_mp4() -> bytes:
    """The start of an MP4 (a Telegram video or video note)."""
    return b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


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
        self.files: dict[str, dict[str, Any]] = {}  # file_id -> file_unique_id, file_size, file_path, data
        # sendMessage refusals as Telegram gives them for a chat's state: a group upgraded to a supergroup
        # (old id -> new id), a chat the bot was removed from, a chat id that does not exist.
        self.upgraded: dict[int, int] = {}
        self.kicked: set[int] = set()
        self.missing: set[int] = set()
        self._file_numbers = itertools.count(1)
        for update in self.updates:  # the fixture's photos are on "Telegram's servers" too
            for message in update.values():
                for item in message.get("photo", []) if isinstance(message, dict) else []:
                    self._keep(item, "photo", tiny_jpeg())

    def timed(self) -> list[Any]:
        """The pending updates: their messages' ``date``, with the messages they answer and forward
        (`make_current`)."""
        return [self.updates]

    def _keep(self, file: dict[str, Any], kind: str, data: bytes) -> None:
        folder, ext = FOLDERS.get(kind, ("documents", "bin"))
        path = f"{folder}/file_{next(self._file_numbers)}.{ext}"
        self.files[file["file_id"]] = {
            "file_id": file["file_id"],
            "file_unique_id": file.get("file_unique_id", file["file_id"]),
            "file_size": file.get("file_size", len(data)),
            "file_path": path,
            "data": data,
        }

    def add_file(self, kind: str, data: bytes = b"", *, size: int | None = None) -> dict[str, Any]:
        """A file on Telegram's servers; returns its object as a message carries it (``file_id``,
        ``file_unique_id``, ``file_size``). ``size`` makes it that large without holding the bytes."""
        with self.lock:
            number = len(self.files) + 1
            file = {
                "file_id": f"BAACAgIAAxkBAAI{kind.upper()}{number:04d}",
                "file_unique_id": f"AgAD{kind.upper()}{number:04d}",
                "file_size": len(data) if size is None else size,
            }
            self._keep(file, kind, data)
            return file

    def photo(self, data: bytes | None = None) -> list[dict[str, Any]]:
        """A message's ``photo``: its sizes, a thumbnail and the photo itself (both stored)."""
        thumb = self.add_file("photo", tiny_jpeg())
        full = self.add_file("photo", tiny_jpeg() if data is None else data)
        return [{**thumb, "width": 90, "height": 60}, {**full, "width": 1280, "height": 853}]

    def push(self, kind: str, message: dict[str, Any]) -> int:
        with self.lock:
            update_id = next(self._update_ids)
            self.updates.append({"update_id": update_id, kind: message})
            return int(update_id)

    def comment(
        self, text: str, *, reply_to: int = 311, message_id: int | None = None, **content: Any
    ) -> dict[str, Any]:
        """A new comment in the discussion group replying to message ``reply_to``; ``content`` adds fields
        (``photo=fake.photo()``, ``voice=fake.add_file("voice")``, ``caption``), and an empty ``text`` is left
        out, as in a photo or voice message."""
        group = next(iter(self.chats.values()))
        message = {
            "message_id": message_id or next(self._message_ids),
            "from": {"id": 501003, "is_bot": False, "first_name": "Анна"},
            "chat": group,
            "date": int(time.time()),
            "message_thread_id": 310,
            "reply_to_message": {"message_id": reply_to, "chat": group, "date": int(time.time()) - 60},
            "text": text,
            **content,
        }
        if not text:
            del message["text"]
        self.push("message", message)
        return message

    def handle(self, request: Request) -> Response:
        if request.path.startswith("/file/"):
            return self._serve_file(request)
        prefix, _, method = request.path.lstrip("/").partition("/")
        if prefix != f"bot{self.token}":
            return Response(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        failure = self.take_failure(method)
        if failure is not None and failure.get(
            "cut"
        ):  # the answer broken off in transit: HTTP 200, half a JSON
            return Response(200, b'{"ok":true,"result":{"file_id":"Ag', {"Content-Type": "application/json"})
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
            if method == "getFile":
                return self._get_file(params)
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

    def _get_file(self, p: dict[str, Any]) -> Response:
        file = self.files.get(str(p.get("file_id") or ""))
        if file is None:
            return _error(400, "Bad Request: invalid file_id")
        if file["file_size"] > MAX_BOT_FILE:
            return _error(400, "Bad Request: file is too big")
        result = {k: file[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}
        return Response(body={"ok": True, "result": result})

    def _serve_file(self, request: Request) -> Response:
        """``GET /file/bot<token>/<file_path>``: a wrong token or path is a 404, as at api.telegram.org;
        ``fail("file", error_code=...)`` answers with that status instead."""
        prefix, _, path = request.path.removeprefix("/file/").partition("/")
        failure = self.take_failure("file")
        if failure is not None:
            return Response(int(failure.get("error_code", 502)), "Bad Gateway")
        with self.lock:
            file = next((f for f in self.files.values() if f["file_path"] == path), None)
        if prefix != f"bot{self.token}" or file is None:
            return _error(404, "Not Found")
        return Response(body=file["data"], headers={"Content-Type": "application/octet-stream"})

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
        if chat_id in self.upgraded:
            return Response(
                400,
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: group chat was upgraded to a supergroup chat",
                    "parameters": {"migrate_to_chat_id": self.upgraded[chat_id]},
                },
            )
        if chat_id in self.kicked:
            return _error(403, "Forbidden: bot was kicked from the supergroup chat")
        if chat_id in self.missing:
            return _error(400, "Bad Request: chat not found")
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
