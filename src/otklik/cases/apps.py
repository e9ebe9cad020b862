from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "otklik.cases"
    verbose_name = "Обращения"

    def ready(self) -> None:
        from otklik.audit.registry import track
        from otklik.intake.outbox import outbox_failed, outbox_sent

        from .inbox import connect_floor_signals
        from .policy import Policy
        from .publishing import on_outbox_failed, on_outbox_sent

        outbox_sent.connect(on_outbox_sent, dispatch_uid="cases.publishing.sent")
        outbox_failed.connect(on_outbox_failed, dispatch_uid="cases.publishing.failed")
        track(Policy)  # the deadline table, edited by administrators
        connect_floor_signals()  # a message back out of a case comes back to the inbox at once
