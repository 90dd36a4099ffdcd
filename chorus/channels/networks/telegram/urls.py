"""Telegram's own pages, joined to the channels' URLs (``Network.urls``)."""

from django.urls import path

from chorus.channels.networks.telegram import views

urlpatterns = [
    path("<int:channel_id>/telegram-webhook/", views.telegram_webhook, name="telegram_webhook"),
]
