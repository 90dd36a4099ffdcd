"""Webhook deliveries from networks: include at ``inbox/webhooks/`` in the project's URLs."""

from django.urls import path

from chorus.inbox import webhooks

app_name = "inbox_webhooks"

urlpatterns = [
    path("<int:channel_id>/<str:token>/", webhooks.receive, name="receive"),
]

# One address per network app (Meta, X…): include at ``webhooks/`` as "app_webhooks".
app_urlpatterns = [
    path("<slug:network_key>/", webhooks.receive_app, name="receive"),
]
