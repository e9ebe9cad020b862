from axes import apps as axes_apps
from django.apps import AppConfig
from django_tasks_db.apps import TasksAppConfig


class WebConfig(AppConfig):
    name = "otklik.web"
    verbose_name = "Интерфейс сотрудников"

    def ready(self) -> None:
        from otklik.web import search

        search.register()


# Third-party apps named in Russian on the admin's index (their own names are «Axes» and «Tasks Database Backend»);
# INSTALLED_APPS lists these configurations instead of the packages' own.
class AxesConfig(axes_apps.AppConfig):  # type: ignore[misc]  # axes ships no types
    verbose_name = "Блокировка входа после неудачных попыток"


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = "Фоновые задачи"
