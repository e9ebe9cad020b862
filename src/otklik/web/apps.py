from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "otklik.web"
    verbose_name = "Интерфейс сотрудников"
