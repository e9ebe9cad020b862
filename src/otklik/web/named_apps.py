"""Third-party apps named in Russian on the admin's index (their own names are «Axes» and «Tasks Database
Backend»); INSTALLED_APPS lists these configurations instead of the packages' own. Kept out of `otklik.web.apps`,
where a second configuration would stop Django from taking `WebConfig` as the web app's own."""

from typing import Any

from axes import apps as axes_apps
from django.utils.timezone import localtime
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(axes_apps.AppConfig):  # type: ignore[misc]  # axes ships no types
    verbose_name = "Блокировка входа после неудачных попыток"

    def ready(self) -> None:
        super().ready()
        from axes.models import AccessAttempt

        # the admin's card and its breadcrumbs name the attempt by this («Attempted Access: 2026-11-30 04:45:38.1+00:00»)
        AccessAttempt.__str__ = _attempt_name


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        # the admin's card and its breadcrumbs name the task by this («DBTaskResult object (95dc4317-…)»)
        DBTaskResult.__str__ = _task_name  # type: ignore[method-assign]


def _attempt_name(attempt: Any) -> str:
    return f"Попытка входа «{attempt.username}», {localtime(attempt.attempt_time):%d.%m.%Y %H:%M}"


def _task_name(result: Any) -> str:
    return f"Задача {result.task_name}, поставлена {localtime(result.enqueued_at):%d.%m.%Y %H:%M}"
