from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "otklik.cases"
    verbose_name = "Обращения"
