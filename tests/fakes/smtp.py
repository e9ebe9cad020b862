"""A mail server on loopback that speaks enough SMTP for Django's `smtp.EmailBackend`: it keeps each letter's DATA
(`letters`), can refuse every recipient with 550 (`refuse`, the office's address unknown) and can hold the first
letter's DATA until released (`hold`, `entered`, `released`: a big letter on a slow line)."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: FakeSMTP = self.server  # type: ignore[assignment]

        def say(line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        say("220 fake ESMTP")
        while True:
            line = self.rfile.readline().decode("utf-8", "replace").strip()
            verb = line[:4].upper()
            if not line or verb == "QUIT":
                say("221 bye")
                return
            if verb == "RCPT" and server.refuse:
                say("550 5.1.1 no such user")
            elif verb == "DATA":
                say("354 go on")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk)
                if server.hold.is_set():
                    server.hold.clear()
                    server.entered.set()
                    server.released.wait(timeout=60)
                server.letters.append(b"".join(data))
                say("250 queued")
            else:
                say("250 ok")


class FakeSMTP(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.letters: list[bytes] = []
        self.refuse = False
        self.hold, self.entered, self.released = threading.Event(), threading.Event(), threading.Event()


@contextmanager
def fake_smtp(settings: Any) -> Iterator[FakeSMTP]:
    """Django's settings pointed at a `FakeSMTP` for the block (pytest-django's `settings` fixture)."""
    server = FakeSMTP()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        server.released.set()
        server.shutdown()
        server.server_close()
