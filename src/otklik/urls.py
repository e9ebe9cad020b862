from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Отклик — администрирование"
admin.site.site_title = "Отклик"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("otklik.web.urls")),
]
