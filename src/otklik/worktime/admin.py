from django.contrib import admin

from .models import CalendarOverride, CalendarYear


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin[CalendarOverride]):
    list_display = ("date", "kind", "hours_like", "note")


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin[CalendarYear]):
    list_display = ("year", "source", "updated")

    @admin.display(description="обновлено", ordering="updated_at")
    def updated(self, year: CalendarYear) -> object:
        return year.updated_at
