"""Listening's pages, one module per family (queries, sources, mentions, alerts, crisis)."""

from django.urls import URLPattern, URLResolver

app_name = "listening"

urlpatterns: list[URLPattern | URLResolver] = []
