from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "otklik.web"
    verbose_name = "Интерфейс сотрудников"

    def ready(self) -> None:
        from otklik.web import search

        search.register()
