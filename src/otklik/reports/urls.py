from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("monthly/", views.monthly_page, name="monthly"),
    path("violations/", views.violations_page, name="violations"),
    path("rating/", views.rating_page, name="rating"),
    path("my-record/", views.person_record, name="my_record"),
    path("people/<id:pk>/record/", views.person_record, name="person_record"),
]
