"""Inbox pages: conversations and answering (``urls.conversations``), moderation rules
(``urls.rules``)."""

from django.urls import include, path

app_name = "inbox"

urlpatterns = [
    path("", include("chorus.inbox.urls.conversations")),
    path("rules/", include("chorus.inbox.urls.rules")),
]
