"""Publishing pages: the composer and media library (urls_composer) and planning — calendar,
queue, approvals, bulk import, pause (urls_planning). Split so each area grows on its own."""

from django.urls import include, path

app_name = "publishing"

urlpatterns = [
    path("", include("chorus.publishing.urls_composer")),
    path("", include("chorus.publishing.urls_planning")),
]
