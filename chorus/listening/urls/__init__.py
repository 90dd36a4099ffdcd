"""Listening's pages, one module per family (queries, sources, mentions, alerts, crisis)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "listening"

urlpatterns: list[URLPattern | URLResolver] = [
    path("mentions/", include("chorus.listening.urls.mentions")),
]
