"""Listening sources under /listening/sources/ (names in the ``listening`` namespace)."""

from django.urls import URLPattern, URLResolver, path

from chorus.listening.views import sources

urlpatterns: list[URLPattern | URLResolver] = [
    path("", sources.source_list, name="sources"),
    path("new/", sources.source_choose, name="source_choose"),
    path("new/<slug:kind_key>/", sources.source_new, name="source_new"),
    path("<int:source_id>/", sources.source_edit, name="source_edit"),
    path("<int:source_id>/pause/", sources.source_pause, name="source_pause"),
    path("<int:source_id>/read/", sources.source_read_now, name="source_read_now"),
    path("<int:source_id>/delete/", sources.source_delete, name="source_delete"),
]
