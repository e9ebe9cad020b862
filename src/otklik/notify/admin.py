from django.contrib import admin

from .models import Alert, Notice


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("created_at", "kind", "title", "telegram_state")
    list_filter = ("kind", "telegram_state")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
