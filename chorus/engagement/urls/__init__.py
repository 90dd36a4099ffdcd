"""Engagement's pages, one module per family (contests, polls and questions, relations)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "engagement"

urlpatterns: list[URLPattern | URLResolver] = [
    path("contests/", include("chorus.engagement.urls.contests")),
    path("polls/", include("chorus.engagement.urls.polls")),
    path("relations/", include("chorus.engagement.urls.relations")),
]
