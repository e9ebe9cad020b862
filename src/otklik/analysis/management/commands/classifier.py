"""`otklik classifier train|predict`: see otklik.analysis.cli for the contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from otklik.cli import whole_number
from otklik.commandline import BaseCommand, CommandError, CommandParser, os_error_text

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
        predict.add_argument(
            "--top",
            type=whole_number("целое число вариантов", 3),
            default=3,
            help="сколько вариантов в top (по умолчанию 3)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.analysis.cli import load_model, predict_lines, train_file

        if options["action"] == "train":
            path = Path(options["input"])
            out = Path(options["out"])
            if not path.is_file():
                raise CommandError(f"нет файла {path}", returncode=2)
            if out.exists() and not out.is_dir():
                raise CommandError(f"{out} — это файл, а не каталог для модели", returncode=2)
            try:
                write_jsonl(self.stdout, train_file(path, options["label"], out, fine=options["fine"]))
            except ValueError as exc:
                raise CommandError(f"обучение невозможно: {exc}", returncode=1) from exc
            except OSError as exc:
                what = f"прочитать {path}" if exc.filename == str(path) else f"записать модель в {out}"
                raise CommandError(
                    f"не удалось {what}: {os_error_text(exc, path, out)}", returncode=1
                ) from exc
            return
        model_dir = Path(options["model"])
        try:
            model = load_model(model_dir)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        lines = predict_lines(model_dir, stdin_lines(), k=max(1, options["top"]), model=model)
        write_jsonl(self.stdout, lines, self.stderr)
