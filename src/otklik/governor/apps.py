from django.apps import AppConfig


class GovernorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "otklik.governor"
    verbose_name = "Посты Губернатора"

    def ready(self) -> None:
        from otklik.audit.registry import track
        from otklik.worktime.recount import calendar_changed

        from . import actions  # noqa: F401 - registers the R-7 event labels
        from .models import GovernorSettings
        from .service import move_checks

        # a correction of the production calendar moves the checks still ahead
        calendar_changed.connect(move_checks, dispatch_uid="governor.move_checks")

        # who turned the approval of answers under the Governor's posts on or off
        track(GovernorSettings)
