from django.urls import include, path
from django.views.generic import RedirectView

from chorus.api import views as api_views
from chorus.api.api import api
from chorus.core.views import healthz
from chorus.inbox.urls.webhooks import app_urlpatterns as app_webhooks
from chorus.publishing.views.public_media import public_media
from chorus.today.views import today

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="today", permanent=False)),
    path("today/", today, name="today"),
    path("account/", include("chorus.accounts.urls")),
    path("workspace/", include("chorus.workspaces.urls")),
    path("workspace/api-tokens/", api_views.tokens, name="api_tokens"),
    path("workspace/api-tokens/<int:token_id>/revoke/", api_views.revoke, name="api_token_revoke"),
    path("channels/", include("chorus.channels.urls")),
    path("publishing/", include("chorus.publishing.urls")),
    # Signed, expiring addresses of media for networks that fetch files themselves (Instagram).
    path("media/s/<str:token>/", public_media, name="public_media"),
    path("inbox/webhooks/", include("chorus.inbox.urls.webhooks")),
    path("webhooks/", include((app_webhooks, "app_webhooks"))),
    path("inbox/", include("chorus.inbox.urls")),
    path("listening/", include("chorus.listening.urls")),
    path("engagement/", include("chorus.engagement.urls")),
    path("analytics/", include("chorus.analytics.urls")),
    path("api/v1/", api.urls),
    path("healthz", healthz, name="healthz"),
]

handler403 = "chorus.core.error_pages.forbidden"
handler404 = "chorus.core.error_pages.not_found"
handler500 = "chorus.core.error_pages.server_error"
