"""Third-party apps named in Russian on the admin's index (their own names are «Axes» and «Tasks Database
Backend»); INSTALLED_APPS lists these configurations instead of the packages' own. Kept out of `otklik.web.apps`,
where a second configuration would stop Django from taking `WebConfig` as the web app's own."""

from axes import apps as axes_apps
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(axes_apps.AppConfig):  # type: ignore[misc]  # axes ships no types
    verbose_name = "Блокировка входа после неудачных попыток"


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"
