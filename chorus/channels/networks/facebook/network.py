"""Facebook Pages: publish as the Page, read and answer its comments, mentions and Messenger,
moderate comments, read its figures.

A channel is one Page: ``remote_id`` is the Page id, ``access_token`` its Page token (read with
a long-lived user token at sign-in, :mod:`chorus.channels.networks.meta.login`). Every request
goes through the one Graph client (:mod:`chorus.channels.networks.meta.graph`), which classifies
Meta's errors.
"""

from __future__ import annotations

from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CredentialField,
    InboxPage,
    Limits,
    Network,
    OutgoingPost,
    PostMetrics,
    PublishedPost,
)
from chorus.channels.errors import AuthExpired, Permanent
from chorus.channels.networks.facebook import publishing, reading
from chorus.channels.networks.facebook.insights import post_metrics_of
from chorus.channels.networks.facebook.steps import FacebookSteps
from chorus.channels.networks.meta.graph import Graph
from chorus.channels.networks.meta.login import FacebookLogin, meta_app_ready
from chorus.channels.networks.meta.webhooks import MetaAppWebhooks
from chorus.channels.oauth import OAuthSetup

MB = 1024 * 1024
GB = 1024 * MB

# What each moderation verb needs the person to have granted (debug_token's scopes).
VERB_SCOPES = {
    "hide": "pages_manage_engagement",
    "unhide": "pages_manage_engagement",
    "redact": "pages_manage_engagement",
    "delete": "pages_manage_posts",
}


class Facebook(MetaAppWebhooks, Network):
    key = "facebook"
    # Meta's app webhooks at /webhooks/facebook/: comments, removals and hides, Messenger.
    webhook_object = "page"
    label = "Facebook"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.VIDEO,
            Capability.LINK_CARD,
            Capability.FIRST_COMMENT,
            Capability.INBOX,
            Capability.REPLY,
            Capability.HIDE,
            Capability.DELETE,
            Capability.METRICS,
            Capability.WEBHOOK,
        }
    )
    # https://developers.facebook.com/docs/graph-api/reference/page/photos/ (JPEG, PNG, GIF,
    # BMP, TIFF; 4 MB advised, 10 MB at most) and /page/videos (up to 10 GB; Chorus sends the
    # file in one request, which Meta takes up to 1 GB).
    limits = Limits(
        max_chars=63206,
        max_media=10,
        image_types=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"),
        video_types=("video/mp4", "video/quicktime", "video/webm", "video/x-msvideo"),
        max_image_bytes=10 * MB,
        max_video_bytes=1 * GB,
        max_alt_text=1000,
    )
    tagline = gettext_lazy(
        "Your Facebook Pages, and the Instagram accounts linked to them, in one sign-in."
    )
    oauth: ClassVar[OAuthSetup | None] = FacebookLogin()
    steps = FacebookSteps()
    preview_template = "facebook/preview.html"
    post_metrics = frozenset({"likes", "shares", "replies", "views"})
    account_metrics = frozenset({"followers"})
    credential_fields = {
        "access_token": CredentialField(gettext_lazy("Page token"), secret=True, asked=False),
        "user_token": CredentialField(gettext_lazy("User token"), secret=True, asked=False),
    }

    @classmethod
    def missing_setup(cls) -> str:
        if meta_app_ready():
            return ""
        return str(
            _(
                "Needs a Meta app first: whoever runs this Chorus sets CHORUS_META_APP_ID and "
                "CHORUS_META_APP_SECRET (docs/networks/facebook.md)."
            )
        )


class FacebookConnection(Connection):
    """One Facebook Page, acting with its Page token."""

    def __init__(
        self,
        network: type[Network],
        credentials: dict[str, Any],
        settings: dict[str, Any],
        *,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(network, credentials, settings, http=http)
        token = str(self.credentials.get("access_token") or "")
        if not token:
            raise AuthExpired("This Facebook channel has no Page token: reconnect it.")
        self.graph = Graph(token)
        self._page: AccountInfo | None = None

    def close(self) -> None:
        self.graph.close()
        super().close()

    # -- the Page -------------------------------------------------------------------------------

    def whoami(self) -> AccountInfo:
        # The Page by its id when the sign-in said it; a Page token's ``me`` is its Page too.
        where = str(self.settings.get("page_id") or "me")
        page = self.graph.get(where, fields="id,name,username,link,followers_count,picture")
        if not page.get("id"):
            raise Permanent("Meta did not say which Page this token belongs to.")
        self._page = reading.page_account(page)
        return self._page

    @property
    def page_id(self) -> str:
        return (self._page or self.whoami()).remote_id

    def refused_verbs(self) -> frozenset[str]:
        """What the person did not grant at sign-in; unknown scopes (an old channel): none."""
        granted = self.settings.get("granted_scopes")
        if not isinstance(granted, list):
            return frozenset()
        return frozenset(verb for verb, scope in VERB_SCOPES.items() if scope not in granted)

    # -- publishing -----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        if post.reply_to:
            return publishing.answer(self.graph, self.page_id, post)
        return publishing.publish(self.graph, self.page_id, post)

    def delete(self, remote_id: str) -> None:
        """Delete one of the Page's posts or comments (``DELETE /{id}``)."""
        self.graph.delete(remote_id)

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        return reading.recent_posts(self.graph, self.page_id, limit)

    # -- moderation -----------------------------------------------------------------------------

    def hide(self, remote_id: str) -> None:
        # Setting a state twice is harmless, so a lost answer may be retried.
        self.graph.post(remote_id, is_hidden=True, may_have_applied=False)

    def unhide(self, remote_id: str) -> None:
        self.graph.post(remote_id, is_hidden=False, may_have_applied=False)

    def redact(self, remote_id: str, reason: str = "") -> None:
        """Delete someone's comment on the Page (Meta keeps no reason)."""
        self.graph.delete(remote_id)

    # -- inbox and figures ----------------------------------------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        return reading.read_inbox(self.graph, self.page_id, cursor, self.settings)

    def metrics(self, remote_id: str) -> PostMetrics:
        return post_metrics_of(self.graph, remote_id)


Facebook.connection_class = FacebookConnection
