from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Check, Comment, GovernorSettings, Watch


@admin.register(GovernorSettings)
class GovernorSettingsAdmin(admin.ModelAdmin[GovernorSettings]):
    list_display = ("body", "require_approval", "updated_at", "updated_by")
    # «кто изменил» is whoever saves, never a field to type or keep from the last change
    readonly_fields = ("updated_at", "updated_by")

    def save_model(self, request: HttpRequest, obj: GovernorSettings, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)


class CheckInline(admin.TabularInline[Check, Watch]):
    model = Check
    extra = 0
    readonly_fields = ("number", "due_at", "grace_until", "state", "ran_at", "new_comments", "note")


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin[Watch]):
    list_display = ("post", "started_at", "first_window_end")
    raw_id_fields = ("post",)
    inlines = [CheckInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ("message", "kind", "body", "case", "in_first_window", "processed_at")
    list_filter = ("kind",)
    # the message and the case are among hundreds of thousands: no drop-down of every one on the change form
    raw_id_fields = ("message", "case")
    # the joins the list shows, not every required foreign key in depth (watch → post …); the newest first
    # by the primary key's index, not a sort of every comment by its message's publication time
    list_select_related = ("message", "body", "case")
    ordering = ("-id",)
    show_full_result_count = False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["labels"] = {"watch": "наблюдение за постом"}
        return super().get_form(request, obj, change, **kwargs)
