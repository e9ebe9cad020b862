from django.urls import path

from . import views

app_name = "governor"
urlpatterns = [
    path("", views.post_list, name="posts"),
    path("posts/<id:pk>/", views.post_page, name="post"),
    path("posts/<id:pk>/approval/", views.approval_setting, name="approval"),
    path("comments/<id:pk>/take/", views.take, name="take"),
    path("comments/<id:pk>/route/", views.route, name="route"),
    path("comments/<id:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("questions/<id:pk>/answer/", views.answer, name="answer"),
    path("questions/<id:pk>/review/", views.review, name="review"),
    path("questions/<id:pk>/confirm/", views.confirm, name="confirm"),
    path("questions/<id:pk>/handover/", views.handover, name="handover"),
    path("questions/<id:pk>/join/", views.join, name="join"),
    path("questions/<id:pk>/not-needed/", views.not_needed, name="not_needed"),
]
