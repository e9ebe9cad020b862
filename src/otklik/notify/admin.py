from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Alert, Mail, Notice


class TelegramStateFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "доставка в Telegram"


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("created_at", "kind", "title", "telegram_delivery", "telegram_problem")
    list_filter = ("kind", ("telegram_state", TelegramStateFilter))
    raw_id_fields = ("message", "case", "created_by")
    show_full_result_count = False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["labels"] = {
            "created_by": "кто создал",
            "telegram_state": "доставка в Telegram",
            "telegram_attempts": "попыток отправки в Telegram",
            "telegram_error": "последняя ошибка Telegram",
            "telegram_claimed_at": "начало текущей попытки отправки в Telegram",
        }
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="доставка в Telegram", ordering="telegram_state")
    def telegram_delivery(self, alert: Alert) -> str:
        return alert.get_telegram_state_display()


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("created_at", "recipient_name", "kind", "title", "read_at")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    show_full_result_count = False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["labels"] = {"recipient": "получатель"}
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="получатель", ordering="recipient")
    def recipient_name(self, notice: Notice) -> str:
        return str(notice.recipient)


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin[Mail]):
    """E-mails of notices and alerts with their delivery: what the mail server has not taken is retried."""

    list_display = ("created_at", "subject", "state", "attempts", "error", "sent_at")
    list_filter = ("state",)
    search_fields = ("subject__folded",)
    show_full_result_count = False
    exclude = ("attachments",)
    readonly_fields = ("to", "subject", "text", "created_at", "state", "attempts", "error", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
