from django.contrib import admin

from .models import Check, Comment, GovernorSettings, Watch


@admin.register(GovernorSettings)
class GovernorSettingsAdmin(admin.ModelAdmin[GovernorSettings]):
    list_display = ("body", "require_approval", "updated_at", "updated_by")


class CheckInline(admin.TabularInline[Check, Watch]):
    model = Check
    extra = 0
    readonly_fields = ("number", "due_at", "grace_until", "state", "ran_at", "new_comments", "note")


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin[Watch]):
    list_display = ("post", "started_at", "first_window_end")
    inlines = [CheckInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ("message", "kind", "body", "case", "in_first_window", "processed_at")
    list_filter = ("kind",)
