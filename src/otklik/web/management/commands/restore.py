"""`otklik restore --from DIR`: a backup into an empty installation (docs/operations.md § Backup and restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from otklik.web.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Восстановление из резервной копии в пустую базу данных: сначала проверяются контрольные суммы всех "
        "частей, затем восстанавливаются база и каталоги и применяются миграции."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--from", dest="source", required=True, type=Path, help="каталог копии (otklik backup --out)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["source"])
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            raise CommandError(f"База данных недоступна или ответила ошибкой: {exc}".strip()) from exc
        except OSError as exc:
            raise CommandError(f"Ошибка при работе с файлами: {exc}") from exc
        folders = ", ".join(manifest.get("folders", [])) or "нет"
        self.stdout.write(
            f"Восстановлено из копии от {manifest.get('created_at')} (Otklik {manifest.get('otklik_version')}): "
            f"база данных {manifest['database']['vendor']}, каталоги: {folders}; миграции применены."
        )
