"""`otklik check-answer`: see otklik.answers.cli for the contract (stable: other checks use it)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from otklik.answers.cli import check_lines, check_one
from otklik.answers.formats import network_format


def _stdin_text() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return str(buffer.read().decode("utf-8", errors="replace"))
    return sys.stdin.read()


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
            for result in check_lines(_stdin_text().splitlines(), network):
                dump(result)
            return
        text = _stdin_text().lstrip("\ufeff")
        dump(check_one(text, network, options["author_name"], options["repeat"]))

    def _dump(self, obj: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(obj, ensure_ascii=False))
        self.stdout.flush()
