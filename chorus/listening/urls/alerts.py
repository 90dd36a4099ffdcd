"""Alert pages under /listening/alerts/ (names start with ``alert``)."""

from django.urls import URLPattern, path

import chorus.listening.views.alert_settings as settings_views
import chorus.listening.views.alerts as views

urlpatterns: list[URLPattern] = [
    path("", views.alert_list, name="alerts"),
    path("<int:alert_id>/", views.alert_detail, name="alert"),
    path("<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("settings/", settings_views.alert_settings, name="alert_settings"),
    path("settings/webhook/", settings_views.add_webhook, name="alert_add_webhook"),
    path("settings/channel/", settings_views.add_channel, name="alert_add_channel"),
    path(
        "settings/<int:destination_id>/test/",
        settings_views.test_destination,
        name="alert_test_destination",
    ),
    path(
        "settings/<int:destination_id>/delete/",
        settings_views.delete_destination,
        name="alert_delete_destination",
    ),
]
