"""`otklik check-answer`: see otklik.answers.cli for the contract (stable: other checks use it)."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from otklik.answers.cli import check_lines, check_one, not_utf8
from otklik.answers.formats import network_format


def _stdin() -> str | bytes:
    buffer = getattr(sys.stdin, "buffer", None)
    return bytes(buffer.read()) if buffer is not None else str(sys.stdin.read())


def _stdin_lines() -> list[str] | list[bytes]:
    """JSON Lines split on "\n" only: a raw U+2028 or U+0085 inside a JSON string is not a line break."""
    data = _stdin()
    return data.split(b"\n") if isinstance(data, bytes) else data.split("\n")


def _stdin_text() -> str:
    data = _stdin()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(f"текст ответа {not_utf8(exc)}", returncode=2) from None


class Command(BaseCommand):
    help = (
        "Проверка ответа (п. 9, 11 Положения): текст из stdin → JSON с оценкой 0–100 и замечаниями; "
        "--jsonl: по одному ответу JSON в строке."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", default="vk", help="vk, ok, telegram, youtube (по умолчанию vk)")
        parser.add_argument("--author-name", default=None, help="имя автора сообщения")
        parser.add_argument("--repeat", action="store_true", help="ответ на повторное сообщение (п. 8.10)")
        parser.add_argument("--jsonl", action="store_true", help="по одному JSON на строку stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        network = options["network"]
        try:
            network_format(network)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        dump = self._dump
        if options["jsonl"]:
            for result in check_lines(_stdin_lines(), network):
                dump(result)
            return
        text = _stdin_text().lstrip("\ufeff")
        dump(check_one(text, network, options["author_name"], options["repeat"]))

    def _dump(self, obj: dict[str, Any]) -> None:
        try:
            self.stdout.write(json.dumps(obj, ensure_ascii=False))
            self.stdout.flush()
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as the analysis commands do
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise CommandError("вывод закрыт читающей стороной, проверка прервана", returncode=1) from None
