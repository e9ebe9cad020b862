"""`otklik analyze < in.jsonl > out.jsonl`: see otklik.analysis.cli for the contract."""

from __future__ import annotations

from typing import Any

from otklik.commandline import BaseCommand

from ._jsonl import stdin_lines, write_jsonl


class Command(BaseCommand):
    help = (
        "Анализ сообщений: JSON Lines {id, text[, author, municipality, metrics, governor]} из stdin → "
        "модерация, группа и тема, органы, муниципальное образование, населённый пункт, важность с "
        "причинами, кандидаты в повторы (среди предыдущих строк) — по строке на сообщение."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.analysis.cli import analyze_lines

        write_jsonl(self.stdout, analyze_lines(stdin_lines()), self.stderr)
