"""Listening queries under /listening/queries/ (names in the ``listening`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from chorus.listening.views import queries

urlpatterns: list[URLPattern | URLResolver] = [
    path("", queries.query_list, name="queries"),
    path("new/", queries.query_new, name="query_new"),
    path("preview/", queries.query_preview, name="query_preview"),
    path("<int:query_id>/", queries.query_edit, name="query_edit"),
    path("<int:query_id>/delete/", queries.query_delete, name="query_delete"),
]
