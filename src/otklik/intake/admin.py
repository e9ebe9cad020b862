from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from otklik.web.search import messages_matching

from .models import Cursor, DeliveredEvent, ImportMapping, Message, Outbox, Post, Quarantine, Source

# Russian labels for the fields whose models name them only by the attribute ("Source", "Reply to" …).
LABELS = {
    "source": "источник",
    "post": "пост",
    "reply_to": "ответ на сообщение",
    "reply_to_external_id": "ответ на сообщение (id в сети, пока оно не получено)",
    "updated_at": "обновлено",
}


class LabelledAdmin(admin.ModelAdmin[Any]):
    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["labels"] = {**LABELS, **kwargs.get("labels", {})}
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="источник", ordering="source")
    def source_name(self, obj: Any) -> Any:
        return obj.source or "—"

    @admin.display(description="обновлено", ordering="updated_at")
    def updated(self, obj: Any) -> str:
        """In Moscow time as every page says it (a read-only field of a method is shown as the value's text)."""
        return f"{timezone.localtime(obj.updated_at):%d.%m.%Y %H:%M}" if obj.updated_at else "—"


@admin.register(Post)
class PostAdmin(LabelledAdmin):
    list_display = ("__str__", "network", "source_name", "published_at")
    raw_id_fields = ("source",)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ("title", "network", "kind", "is_active", "is_governor")
    list_filter = ("network", "kind", "is_active")
    search_fields = ("title__folded", "external_id", "url")


@admin.register(Cursor)
class CursorAdmin(LabelledAdmin):
    list_display = ("source_name", "updated", "last_error")
    readonly_fields = ("updated",)


@admin.register(Message)
class MessageAdmin(LabelledAdmin):
    list_display = ("network", "author_name", "published_at", "text")
    list_filter = ("network",)
    search_fields = ("text__folded", "author_name__folded", "external_id")
    # A year brings hundreds of thousands of messages: the change form must not offer each of them (or every
    # post) in a drop-down, and the list counts only the rows it shows, not the whole table a second time.
    raw_id_fields = ("source", "post", "reply_to")
    show_full_result_count = False

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Message], search_term: str
    ) -> tuple[QuerySet[Message], bool]:
        """The inbox's search (`web.search.messages_matching`: text or author, case and «ё» folded, on SQLite
        narrowed by the trigram table) or a part of the network's id."""
        term = search_term.strip()
        if not term:
            return queryset, False
        by_words = messages_matching(queryset, term).values("pk")
        return queryset.filter(Q(pk__in=by_words) | Q(external_id__contains=term)), False


@admin.register(Quarantine)
class QuarantineAdmin(LabelledAdmin):
    """Payloads that could not be parsed: administrators read the error and the data as received."""

    list_display = ("created_at", "network", "source_name", "kind", "error", "resolved")
    list_filter = ("network", "resolved")
    search_fields = ("error__folded", "payload__folded")
    readonly_fields = ("network", "source_name", "kind", "payload", "error", "created_at")
    exclude = ("source",)  # shown read-only as «источник»
    list_select_related = ("source",)
    show_full_result_count = False


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin[Outbox]):
    list_display = (
        "created_at",
        "message",
        "state",
        "attempts",
        "next_attempt_at",
        "result_url",
        "last_error",
    )
    list_filter = ("state",)
    search_fields = ("idempotency_key", "text__folded")
    # only the message the row answers: without a list, Django joins every required foreign key in depth
    list_select_related = ("message",)
    show_full_result_count = False
    # the row publishes the text the curator approved; nothing of it is written here — only when the
    # next attempt is made («следующая попытка»: at once, or later). No row is added by hand either: it would
    # publish a text nobody approved
    readonly_fields = (
        "message",
        "text",
        "idempotency_key",
        "case_id",
        "state",
        "attempts",
        "last_error",
        "maybe_sent",
        "failure_told_at",
        "result_url",
        "result_external_id",
        "sent_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DeliveredEvent)
class DeliveredEventAdmin(admin.ModelAdmin[DeliveredEvent]):
    list_display = ("network", "event_id", "received_at")
    list_filter = ("network",)
    show_full_result_count = False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin[ImportMapping]):
    list_display = ("name", "network", "date_format")
