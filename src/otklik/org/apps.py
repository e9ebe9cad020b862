from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "otklik.org"
    verbose_name = "Справочник организаций"

    def ready(self) -> None:
        from otklik.audit.registry import track

        from . import models, signals

        signals.connect()

        for model in (
            models.Municipality,
            models.Settlement,
            models.TopicGroup,
            models.Topic,
            models.Body,
            models.Person,
            models.Role,
            models.Absence,
            models.Competence,
            models.OfficialAccount,
        ):
            track(model)
