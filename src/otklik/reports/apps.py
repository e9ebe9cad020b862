from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "otklik.reports"
    verbose_name = "Отчёты"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from otklik.audit.registry import track

        from .models import RatingComponent

        track(RatingComponent)  # the rating's weights, edited by administrators
