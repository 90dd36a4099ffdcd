"""Analytics pages, one module per family (dashboard, reports)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "analytics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("chorus.analytics.urls.dashboard")),
    path("", include("chorus.analytics.urls.reports")),
]
