from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class IntakeConfig(AppConfig):
    name = "otklik.intake"
    verbose_name = "Поступление сообщений"

    def ready(self) -> None:
        from otklik.audit.registry import track
        from otklik.org.models import OfficialAccount

        from .models import AttachmentCopy, ImportMapping, Source

        # What administrators edit here is in the audit log as the directory is: a source switched off stops its
        # messages reaching the curator; its tokens and keys are masked as passwords are.
        track(Source, secret_json=("config",))
        track(ImportMapping)

        from .official import forget_accounts

        # This process sees an account change at once; other processes within official._ACCOUNTS_TTL.
        post_save.connect(forget_accounts, sender=OfficialAccount, dispatch_uid="intake-official-save")
        post_delete.connect(forget_accounts, sender=OfficialAccount, dispatch_uid="intake-official-delete")
        from .attachments import remove_stored_copy

        # A message deleted (a citizen's request, in the admin) takes the copies of its photos and videos with it.
        post_delete.connect(
            remove_stored_copy, sender=AttachmentCopy, dispatch_uid="intake-attachment-delete"
        )
        from .models import Message, forget_post_copy

        # ... and the copy of a visitor's wall post as the post its comments hang on
        post_delete.connect(forget_post_copy, sender=Message, dispatch_uid="intake-message-post-copy")
        # SQLite: a migration that rebuilds the messages' table drops the search index's triggers (search_index).
        from .search_index import after_migrate

        post_migrate.connect(after_migrate, sender=self, dispatch_uid="intake-search-index")
