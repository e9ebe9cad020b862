from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "otklik.audit"
    verbose_name = "Журнал изменений"
