"""`otklik classifier train|predict`: see otklik.analysis.cli for the contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ._jsonl import stdin_lines, write_jsonl


class Command(BaseCommand):
    help = (
        "Классификатор текстов: train --input FILE.jsonl --label ПОЛЕ --out КАТАЛОГ; "
        "predict --model КАТАЛОГ < in.jsonl > out.jsonl"
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="обучить модель по файлу JSON Lines с полями text и ПОЛЕ")
        train.add_argument("--input", required=True, help="файл JSON Lines")
        train.add_argument("--label", required=True, help="поле с меткой")
        train.add_argument("--out", required=True, help="каталог для модели")
        train.add_argument(
            "--fine",
            default=None,
            help="необязательное поле с уточняющей меткой (например, reason для category): учитывается при обучении",
        )
        predict = sub.add_parser("predict", help="предсказать метки для {id, text} из stdin")
        predict.add_argument("--model", required=True, help="каталог модели (после train)")
        predict.add_argument("--top", type=int, default=3, help="сколько вариантов в top (по умолчанию 3)")

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.analysis.cli import predict_lines, train_file

        if options["action"] == "train":
            path = Path(options["input"])
            if not path.is_file():
                raise CommandError(f"нет файла {path}", returncode=2)
            try:
                write_jsonl(
                    self.stdout,
                    train_file(path, options["label"], Path(options["out"]), fine=options["fine"]),
                )
            except ValueError as exc:
                raise CommandError(f"обучение невозможно: {exc}", returncode=1) from exc
            return
        model = Path(options["model"])
        if not (model / "weights.npz").is_file():
            raise CommandError(
                f"в каталоге {model} нет модели (сначала otklik classifier train)", returncode=2
            )
        write_jsonl(self.stdout, predict_lines(model, stdin_lines(), k=max(1, options["top"])))
