from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "otklik.notify"
    verbose_name = "Оповещения"
    default_auto_field = "django.db.models.BigAutoField"
