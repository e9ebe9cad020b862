"""`otklik backup --out DIR`: a backup of the installation (docs/operations.md § Backup and restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from otklik.commandline import BaseCommand
from otklik.web.backup import backup, command_errors


class Command(BaseCommand):
    help = (
        "Резервная копия установки в новый или пустой каталог: база данных, файлы (media), обученные модели, "
        "письма-файлы и manifest.json с контрольными суммами."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, type=Path, help="новый или пустой каталог для копии")

    def handle(self, *args: Any, **options: Any) -> None:
        with command_errors():
            manifest = backup(options["out"])
        parts = ", ".join(f"{name} ({part['size']} байт)" for name, part in manifest["parts"].items())
        folders = ", ".join(manifest["folders"]) or "нет"
        self.stdout.write(f"Копия записана в {options['out']}: {parts}; каталоги: {folders}.")
