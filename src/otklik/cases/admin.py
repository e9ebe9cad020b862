from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Policy


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin[Policy]):
    """R-8.2 … R-8.9 durations: administrators edit the values; new deadlines use them."""

    list_display = ("rid", "title", "value", "unit")
    list_editable = ("value",)
    readonly_fields = ("rid", "unit")
    exclude = ("key",)  # the internal key means nothing to a person; the title and the R-ID name the limit
    ordering = ("rid", "key")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
