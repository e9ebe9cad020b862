from django.apps import AppConfig


class AnswersConfig(AppConfig):
    name = "otklik.answers"
    verbose_name = "Проверка ответов"
