from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("messages/", views.message_list, name="message_list"),
    path("messages/new/", views.manual_entry, name="manual_entry"),
    path("messages/<id:pk>/attachments/<id:copy_pk>/", views.attachment, name="attachment"),
    path("import/", views.import_messages, name="import"),
]
