from django.contrib import admin
from django.urls import include, path, register_converter

from otklik.web.numbers import RecordNumber

register_converter(RecordNumber, "id")  # before the apps' addresses below are read: they use it

admin.site.site_header = "Отклик — администрирование"
admin.site.site_title = "Отклик"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("cases/", include("otklik.cases.urls")),
    path("answers/", include("otklik.answers.urls")),
    path("intake/", include("otklik.intake.urls")),
    path("integrations/", include("otklik.integrations.urls")),
    path("reports/", include("otklik.reports.urls")),
    path("notify/", include("otklik.notify.urls")),
    path("governor/", include("otklik.governor.urls")),
    path("", include("otklik.web.urls")),
]
