"""`otklik restore --from DIR`: a backup into an empty installation (docs/operations.md § Backup and restore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from otklik.commandline import BaseCommand
from otklik.web.backup import command_errors, restore


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
        with command_errors():
            manifest = restore(options["source"])
        folders = ", ".join(manifest.get("folders", [])) or "нет"
        self.stdout.write(
            f"Восстановлено из копии от {manifest.get('created_at')} (Otklik {manifest.get('otklik_version')}): "
            f"база данных {manifest['database']['vendor']}, каталоги: {folders}; миграции применены."
        )
