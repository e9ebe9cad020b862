from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import RatingComponent, ReportRun


@admin.register(RatingComponent)
class RatingComponentAdmin(admin.ModelAdmin[RatingComponent]):
    list_display = ("metric", "weight", "is_active", "order", "description")
    list_editable = ("weight", "is_active", "order")


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin[ReportRun]):
    list_display = ("kind", "period_key", "created_at", "delivered_at")
    readonly_fields = ("kind", "period_key", "created_at", "delivered_at", "data")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A run is written by the system when it generates the report; a hand-made one has no data.
        return False
