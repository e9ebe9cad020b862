from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    """Django glue around the pure engine: calendar corrections stored in the database, the CLI command."""

    name = "otklik.worktime"
    verbose_name = "Рабочее время"

    def ready(self) -> None:
        from otklik.audit.registry import track

        from .models import CalendarOverride, CalendarYear

        track(CalendarOverride)
        track(CalendarYear)
