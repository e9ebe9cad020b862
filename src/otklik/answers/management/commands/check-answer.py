"""`otklik check-answer`: see otklik.answers.cli for the contract (stable: other checks use it)."""

from __future__ import annotations

import sys
from typing import Any

from otklik.analysis.management.commands._jsonl import stdin_lines, write_jsonl
from otklik.answers.cli import check_lines, check_one
from otklik.answers.formats import network_format
from otklik.commandline import BaseCommand, CommandError, CommandParser


def _stdin_text() -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return str(sys.stdin.read())
    data = bytes(buffer.read())
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"текст ответа не в кодировке UTF-8 (байт 0x{data[exc.start]:02x} в позиции {exc.start}); "
            "сохраните его в UTF-8",
            returncode=2,
        ) from None


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
        if options["jsonl"]:  # read and written as the analysis commands do (`analysis/.../_jsonl.py`)
            write_jsonl(self.stdout, check_lines(stdin_lines(), network), self.stderr)
            return
        text = _stdin_text().lstrip("\ufeff")
        write_jsonl(self.stdout, [check_one(text, network, options["author_name"], options["repeat"])])
