from django.urls import path

from . import views

app_name = "governor"
urlpatterns = [
    path("", views.post_list, name="posts"),
    path("posts/<int:pk>/", views.post_page, name="post"),
    path("posts/<int:pk>/approval/", views.approval_setting, name="approval"),
    path("comments/<int:pk>/take/", views.take, name="take"),
    path("comments/<int:pk>/route/", views.route, name="route"),
    path("comments/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/review/", views.review, name="review"),
    path("questions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("questions/<int:pk>/handover/", views.handover, name="handover"),
    path("questions/<int:pk>/join/", views.join, name="join"),
    path("questions/<int:pk>/not-needed/", views.not_needed, name="not_needed"),
]
