from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "otklik.reports"
    verbose_name = "Отчёты"
    default_auto_field = "django.db.models.BigAutoField"
