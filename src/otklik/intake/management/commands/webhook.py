"""`otklik webhook set|delete|info --source N`: Telegram delivers a bot's updates to Otklik (setWebhook)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from otklik.cli import source_id
from otklik.commandline import BaseCommand, CommandError
from otklik.intake.models import Source
from otklik.integrations.base import ConnectorError
from otklik.integrations.telegram.connector import TelegramConnector


class Command(BaseCommand):
    help = (
        "Веб-хук Telegram: бот присылает новые сообщения в Отклик сам, без опроса "
        "(set — включить, delete — вернуться к опросу, info — что знает Telegram)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["set", "delete", "info"])
        parser.add_argument("--source", type=source_id, required=True, help="id источника Telegram")
        parser.add_argument(
            "--base-url",
            help="адрес Отклика, видимый из интернета (https://otklik.example.ru); только для set",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Source.objects.filter(pk=options["source"]).first()
        if source is None:
            raise CommandError(f"Источник {options['source']} не найден.")
        if source.network != "telegram":
            raise CommandError(
                f"Источник {source.pk} — не Telegram ({source.network}); веб-хук только для ботов."
            )
        connector = TelegramConnector(source)
        try:
            if options["action"] == "set":
                base = options["base_url"] or ""
                parts = urlsplit(base)
                if parts.scheme != "https" or not parts.hostname:
                    raise CommandError(
                        "Укажите --base-url с https:// — Telegram отправляет обновления только по HTTPS "
                        "(порты 443, 80, 88 или 8443)."
                    )
                url = connector.register_webhook(base)
                self.stdout.write(f"Веб-хук включён: {url}. Опрос этого источника остановлен.")
            elif options["action"] == "delete":
                connector.remove_webhook()
                self.stdout.write("Веб-хук снят; источник снова читается опросом с сохранённого места.")
            else:
                info = connector.webhook_info()
                for key in ("url", "pending_update_count", "last_error_date", "last_error_message"):
                    if key in info:
                        self.stdout.write(f"{key}: {info[key]}")
        except ConnectorError as exc:
            raise CommandError(f"Telegram отказал: {exc}") from exc
        finally:
            connector.close()
