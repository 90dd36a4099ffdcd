"""Publishing pages: the composer and media library (``urls.composer``) and planning — calendar,
queue, approvals, bulk import, pause (``urls.planning``). Split so each area grows on its own."""

from django.urls import include, path

app_name = "publishing"

urlpatterns = [
    path("", include("chorus.publishing.urls.composer")),
    path("", include("chorus.publishing.urls.planning")),
]
