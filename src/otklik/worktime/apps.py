from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    """Django glue around the pure engine: calendar corrections stored in the database, the CLI command, open
    deadlines that follow a body's new schedule."""

    name = "otklik.worktime"
    verbose_name = "Рабочее время"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from otklik.audit.registry import track

        from .models import CalendarOverride, CalendarYear
        from .signals import follow_schedule, remember_schedule

        track(CalendarOverride)
        track(CalendarYear)
        # a body's new schedule moves its open deadlines as a calendar change does (`signals`)
        pre_save.connect(remember_schedule, sender="org.Body", dispatch_uid="worktime.remember_schedule")
        post_save.connect(follow_schedule, sender="org.Body", dispatch_uid="worktime.follow_schedule")
