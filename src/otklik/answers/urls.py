from django.urls import path

from . import views

app_name = "answers"
urlpatterns = [
    path("", views.page, name="page"),
    path("check/", views.check, name="check"),
]
