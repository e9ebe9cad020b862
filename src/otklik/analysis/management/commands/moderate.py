"""`otklik moderate < in.jsonl > out.jsonl`: see otklik.analysis.cli for the contract."""

from __future__ import annotations

from typing import Any

from otklik.commandline import BaseCommand

from ._jsonl import stdin_lines, write_jsonl


class Command(BaseCommand):
    help = (
        "Модерация (R-10): JSON Lines {id, text} из stdin → {id, blocked, reasons, score} в stdout, "
        "по строке на сообщение."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.analysis.cli import moderate_lines

        write_jsonl(self.stdout, moderate_lines(stdin_lines()), self.stderr)
