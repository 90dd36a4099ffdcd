from django.urls import path

from chorus.channels import views, views_connect
from chorus.channels.registry import network_urlpatterns

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("connect/", views_connect.connect_grid, name="connect"),
    path(
        "connect/mastodon/callback/",
        views_connect.mastodon_callback,
        name="mastodon_callback",
    ),
    path("connect/<slug:network_key>/", views_connect.connect_network, name="connect_network"),
    path("<int:channel_id>/", views.channel_health, name="health"),
    path("<int:channel_id>/settings/", views.channel_settings, name="settings"),
    path("<int:channel_id>/check/", views.check_channel, name="check"),
    path("<int:channel_id>/reconnect/", views_connect.reconnect, name="reconnect"),
    path("<int:channel_id>/disconnect/", views.disconnect, name="disconnect"),
    # Each network's own pages (Telegram's webhook switch…), in this namespace.
    *network_urlpatterns(),
]
