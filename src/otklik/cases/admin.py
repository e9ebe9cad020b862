from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Policy
from .policy import clause


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin[Policy]):
    """R-8.2 … R-8.9 durations: administrators edit the values; new deadlines use them."""

    list_display = ("clause_shown", "title", "value", "unit")
    list_editable = ("value",)
    readonly_fields = ("clause_shown", "unit")
    exclude = (
        "key",
        "rid",
    )  # the internal key means nothing to a person; the title and the clause name the limit
    ordering = ("rid", "key")

    @admin.display(description="пункт", ordering="rid")
    def clause_shown(self, obj: Policy) -> str:
        """The clause of the regulation as people read it («п. 8.4»); the stored R-ID stays."""
        return clause(obj.rid)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
