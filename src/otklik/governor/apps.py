from django.apps import AppConfig


class GovernorConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "otklik.governor"
    verbose_name = "Посты Губернатора"

    def ready(self) -> None:
        from . import actions  # noqa: F401 - registers the R-7 event labels
