"""`otklik backup --out DIR`: a backup of the installation (docs/operations.md § Backup and restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from otklik.web.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Резервная копия установки в новый или пустой каталог: база данных, файлы (media), обученные модели, "
        "письма-файлы и manifest.json с контрольными суммами."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--out", required=True, type=Path, help="новый или пустой каталог для копии")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["out"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(f"База данных недоступна или ответила ошибкой: {exc}".strip()) from exc
        except OSError as exc:
            raise CommandError(f"Ошибка при работе с файлами: {exc}") from exc
        parts = ", ".join(f"{name} ({part['size']} байт)" for name, part in manifest["parts"].items())
        folders = ", ".join(manifest["folders"]) or "нет"
        self.stdout.write(f"Копия записана в {options['out']}: {parts}; каталоги: {folders}.")
