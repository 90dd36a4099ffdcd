"""Inbox pages: conversations and answering (urls_conversations), moderation rules (urls_rules)."""

from django.urls import include, path

app_name = "inbox"

urlpatterns = [
    path("", include("chorus.inbox.urls_conversations")),
    path("rules/", include("chorus.inbox.urls_rules")),
]
