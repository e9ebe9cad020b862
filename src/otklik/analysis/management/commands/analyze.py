"""`otklik analyze < in.jsonl > out.jsonl`: see otklik.analysis.cli for the contract."""

from __future__ import annotations

from typing import Any

from otklik.commandline import BaseCommand, CommandError

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
        from otklik.analysis.cli import Analyzer, analyze_lines
        from otklik.analysis.topics import TopicModelError, unusable_models

        try:
            analyzer = Analyzer()
        except TopicModelError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for damaged in unusable_models():  # the ERROR in the log names the file and the reason
            self.stderr.write(
                f"предупреждение: модель тем {damaged} повреждена и не используется — анализ по модели "
                f"{analyzer.topics.version}; удалите этот каталог или обучите модель заново (otklik train_topics)"
            )
        write_jsonl(self.stdout, analyze_lines(stdin_lines(), analyzer), self.stderr)
