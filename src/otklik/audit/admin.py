from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import capfirst

from .models import AuditEntry


def model_title(label: str) -> str:
    """The object type as a person names it («Сотрудник»), not the stored label ``org.Person``."""
    try:
        return capfirst(str(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label


class ModelFilter(admin.SimpleListFilter):
    title = "объект (тип)"
    parameter_name = "model"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        labels = AuditEntry.objects.order_by().values_list("model", flat=True).distinct()
        return sorted(((label, model_title(label)) for label in labels), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(model=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    """Read-only: the log can be read and filtered, never edited or deleted."""

    list_display = ("at", "actor_name", "action", "model_name", "object_repr")
    list_filter = ("action", ModelFilter)
    search_fields = ("object_repr__folded", "actor_name__folded", "object_pk")
    exclude = ("model",)
    readonly_fields = ["model_name", *(f.name for f in AuditEntry._meta.fields if f.name != "model")]
    show_full_result_count = False  # the log only grows: count the filtered rows once, not the table again

    @admin.display(description="объект (тип)", ordering="model")
    def model_name(self, entry: AuditEntry) -> str:
        return model_title(entry.model)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
