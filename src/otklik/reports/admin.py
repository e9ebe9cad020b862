from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from .models import RatingComponent, ReportRun


@admin.register(RatingComponent)
class RatingComponentAdmin(admin.ModelAdmin[RatingComponent]):
    list_display = ("metric", "weight", "is_active", "order", "description")
    list_editable = ("weight", "is_active", "order")

    def _warn_without_formula(self, request: HttpRequest) -> None:
        # saved as asked, but the quarterly rating is not computed without a positive weight
        if request.method != "POST" or RatingComponent.objects.filter(is_active=True, weight__gt=0).exists():
            return
        if not RatingComponent.objects.exists():
            text = (
                "В формуле не осталось составляющих: рейтинг органов не будет рассчитан, пока не добавлена хотя бы "
                "одна составляющая с весом больше нуля."
            )
        else:
            text = (
                "Ни у одной учитываемой составляющей нет положительного веса: рейтинг органов не будет рассчитан, "
                "пока хотя бы одна составляющая не получит вес больше нуля."
            )
        self.message_user(request, text, level=messages.WARNING)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        self._warn_without_formula(request)
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._warn_without_formula(request)
        return response

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # a deleted component is gone from the formula (nothing brings the defaults back), so warn here as well
        response = super().delete_view(request, object_id, extra_context)
        self._warn_without_formula(request)
        return response


@admin.register(ReportRun)
class ReportRunAdmin(admin.ModelAdmin[ReportRun]):
    list_display = ("kind", "period_key", "created_at", "delivered_at")
    readonly_fields = ("kind", "period_key", "created_at", "delivered_at", "data")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A run is written by the system when it generates the report; a hand-made one has no data.
        return False
