from django.urls import path

from chorus.channels import views, views_connect, views_oauth
from chorus.channels.registry import network_urlpatterns

app_name = "channels"

urlpatterns = [
    path("", views.channel_list, name="list"),
    path("connect/", views_connect.connect_grid, name="connect"),
    # The one OAuth sign-in, for every network that configures it (Network.oauth).
    path("connect/<slug:network_key>/callback/", views_oauth.oauth_callback, name="oauth_callback"),
    path("connect/<slug:network_key>/choose/", views_oauth.oauth_choose, name="oauth_choose"),
    path("connect/<slug:network_key>/", views_connect.connect_network, name="connect_network"),
    path("<int:channel_id>/", views.channel_health, name="health"),
    path("<int:channel_id>/settings/", views.channel_settings, name="settings"),
    path("<int:channel_id>/check/", views.check_channel, name="check"),
    path("<int:channel_id>/reconnect/", views_connect.reconnect, name="reconnect"),
    path("<int:channel_id>/disconnect/", views.disconnect, name="disconnect"),
    # Each network's own pages (Telegram's webhook switch…), in this namespace.
    *network_urlpatterns(),
]
