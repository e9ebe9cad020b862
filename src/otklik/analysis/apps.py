from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "otklik.analysis"
    verbose_name = "Анализ сообщений"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from otklik.org.models import Municipality, Settlement

        from .place import reset_gazetteer

        # The place gazetteer is cached in memory; a directory edit must be seen by the next message.
        for model in (Municipality, Settlement):
            post_save.connect(
                reset_gazetteer, sender=model, dispatch_uid=f"analysis-gazetteer-{model.__name__}"
            )
            post_delete.connect(
                reset_gazetteer, sender=model, dispatch_uid=f"analysis-gazetteer-del-{model.__name__}"
            )
