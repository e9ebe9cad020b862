from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("", views.notices, name="notices"),
    path("alerts/", views.alerts, name="alerts"),
    path("significant/", views.significant, name="significant"),
    path("alerts/<id:pk>/resend/", views.resend, name="resend"),
]
