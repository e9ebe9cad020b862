"""The administrator's pages of two third-party apps, in Russian where their packages write English outside
gettext (a column named after a method, a literal description): the background tasks (django-tasks-db) and the
lockout after failed logins (django-axes). Their gettext texts are translated in `otklik/locale`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description="задача")
    def task(self, obj: DBTaskResult[Any, Any]) -> str:
        return str(obj.task_name)

    @admin.display(description="трассировка ошибки")
    def formatted_traceback(self, obj: DBTaskResult[Any, Any]) -> str:
        return str(super().formatted_traceback(obj))

    @admin.display(description="не раньше")
    def display_run_after(self, obj: DBTaskResult[Any, Any]) -> datetime | str:
        return super().display_run_after(obj)


if getattr(settings, "AXES_ENABLE_ADMIN", True):
    from axes.admin import AccessAttemptAdmin
    from axes.models import AccessAttempt

    admin.site.unregister(AccessAttempt)

    @admin.register(AccessAttempt)
    class LoginAttemptAdmin(AccessAttemptAdmin):  # type: ignore[misc]  # axes ships no types
        @admin.display(description="состояние")
        def status(self, obj: AccessAttempt) -> str:
            left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
            if left <= 0:
                return "заблокирован"
            return f"осталось попыток: {left}"

        @admin.display(description="перестаёт учитываться")
        def expiration(self, obj: AccessAttempt) -> object:
            return super().expiration(obj)
