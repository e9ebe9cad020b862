from django.contrib import admin

from .models import RatingComponent, ReportRun


@admin.register(RatingComponent)
class RatingComponentAdmin(admin.ModelAdmin[RatingComponent]):
    list_display = ("metric", "weight", "is_active", "order", "description")
    list_editable = ("weight", "is_active", "order")


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin[ReportRun]):
    list_display = ("kind", "period_key", "created_at", "delivered_at")
    readonly_fields = ("kind", "period_key", "created_at", "delivered_at", "data")
