"""Listening's pages, one module per family (queries, sources, mentions, alerts, crisis)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "listening"

urlpatterns: list[URLPattern | URLResolver] = [
    path("queries/", include("chorus.listening.urls.queries")),
    path("sources/", include("chorus.listening.urls.sources")),
    path("", include("chorus.listening.urls.crisis")),
    path("mentions/", include("chorus.listening.urls.mentions")),
    path("alerts/", include("chorus.listening.urls.alerts")),
]
