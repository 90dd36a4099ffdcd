"""Engagement: the contests pages (and the public certificate, without sign-in)."""

from django.urls import URLPattern, URLResolver, path

from chorus.engagement.views import contest_certificate as public
from chorus.engagement.views import contests as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.contest_list, name="contests"),
    path("new/", views.contest_new, name="contest_new"),
    path("<int:pk>/", views.contest_detail, name="contest"),
    path("<int:pk>/edit/", views.contest_edit, name="contest_edit"),
    path("<int:pk>/substitute/", views.contest_substitute, name="contest_substitute"),
    path("<int:pk>/tell/", views.contest_tell, name="contest_tell"),
    path("<int:pk>/entries/", views.contest_entries_page, name="contest_entries"),
    path("<int:pk>/entries/exclude/", views.contest_exclude, name="contest_exclude"),
    path("<int:pk>/entries/restore/", views.contest_restore, name="contest_restore"),
    path("<int:pk>/<str:step>/", views.contest_step, name="contest_step"),
    path("certificate/<uuid:public_id>/", public.certificate_page, name="contest_certificate"),
    path(
        "certificate/<uuid:public_id>.json",
        public.certificate_json,
        name="contest_certificate_json",
    ),
]
