"""Webhook endpoints of the networks (mounted under /integrations/)."""

from django.urls import path

from .telegram import views as telegram_views
from .vk import views as vk_views

app_name = "integrations"
urlpatterns = [
    path("vk/callback/", vk_views.callback, name="vk_callback"),
    path("telegram/webhook/<id:source_id>/", telegram_views.webhook, name="telegram_webhook"),
]
