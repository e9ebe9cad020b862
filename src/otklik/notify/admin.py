from django.contrib import admin
from django.http import HttpRequest

from .models import Alert, Mail, Notice


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("created_at", "kind", "title", "telegram_state", "telegram_problem")
    list_filter = ("kind", "telegram_state")
    raw_id_fields = ("message", "case", "created_by")
    show_full_result_count = False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    show_full_result_count = False


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin[Mail]):
    """E-mails of notices and alerts with their delivery: what the mail server has not taken is retried."""

    list_display = ("created_at", "subject", "state", "attempts", "error", "sent_at")
    list_filter = ("state",)
    search_fields = ("subject",)
    show_full_result_count = False
    exclude = ("attachments",)
    readonly_fields = ("to", "subject", "text", "created_at", "state", "attempts", "error", "sent_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
