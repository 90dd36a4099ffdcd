"""Instagram professional accounts (Business and Creator) linked to a Facebook Page.

Channels are made by the Facebook sign-in (Facebook Login for Business): ``remote_id`` is the
Instagram account's id, and the credentials hold the linked Page's token (``access_token``),
the Page's id and the long-lived user token. Everything goes through Meta's Graph API on
graph.facebook.com (``chorus/channels/networks/meta/graph.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import httpx
from django.utils.translation import gettext, gettext_lazy

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CountMode,
    CredentialField,
    Limits,
    Network,
    OutgoingPost,
    PublishedPost,
)
from chorus.channels.errors import AuthExpired, Permanent
from chorus.channels.networks.facebook.network import Facebook
from chorus.channels.networks.facebook.steps import FacebookSteps
from chorus.channels.networks.instagram import caption
from chorus.channels.networks.instagram.containers import ContainerFlow
from chorus.channels.networks.instagram.conversation import Conversations
from chorus.channels.networks.instagram.figures import Figures
from chorus.channels.networks.instagram.inbox import when
from chorus.channels.networks.meta.graph import Graph
from chorus.channels.networks.meta.login import FacebookLogin
from chorus.channels.networks.meta.webhooks import MetaAppWebhooks
from chorus.channels.oauth import OAuthSetup
from chorus.channels.steps import ChannelSteps, PageSection

if TYPE_CHECKING:
    from chorus.channels.models import Channel

MB = 1024 * 1024
MEDIA_FIELDS = "id,caption,permalink,timestamp,media_type,comments_count,like_count"


class InstagramSteps(ChannelSteps):
    """The channel's page says when Meta's access lapses, as for the Page it goes through."""

    def page_section(self, channel: Channel) -> PageSection | None:
        return FacebookSteps().page_section(channel)


class Instagram(MetaAppWebhooks, Network):
    key = "instagram"
    label = "Instagram"
    # Meta's app webhooks at /webhooks/instagram/ (comments, mentions, direct messages), and
    # pictures fetched by Meta from a signed address on Chorus (metahooks).
    webhook_object = "instagram"
    fetches_media = True
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.VIDEO,
            Capability.FIRST_COMMENT,
            Capability.INBOX,
            Capability.REPLY,
            Capability.HIDE,
            Capability.DELETE,
            Capability.METRICS,
            Capability.WEBHOOK,
        }
    )
    limits = Limits(
        max_chars=caption.MAX_CAPTION,
        count_mode=CountMode.UTF16,
        max_media=10,  # a carousel takes 2 to 10 pictures or videos
        image_types=("image/jpeg",),  # the Graph API publishes JPEG only
        video_types=("video/mp4", "video/quicktime"),
        max_image_bytes=8 * MB,
        max_video_bytes=300 * MB,
        requires_media=True,
    )
    tagline = gettext_lazy(
        "Instagram professional accounts linked to a Facebook Page: photos, carousels, reels, "
        "comments and figures."
    )
    preview_template = "instagram/preview.html"
    # The Facebook sign-in offers the Instagram accounts linked to the person's Pages.
    oauth: ClassVar[OAuthSetup | None] = FacebookLogin()
    steps = InstagramSteps()
    post_metrics = frozenset(
        {"likes", "replies", "views", "reach", "saved", "shares", "total_interactions"}
    )
    account_metrics = frozenset(
        {"followers", "reach", "views", "accounts_engaged", "total_interactions"}
    )
    # Filled in by the Facebook sign-in, never typed.
    credential_fields = {
        "access_token": CredentialField(
            gettext_lazy("Page access token"), secret=True, asked=False
        ),
        "page_id": CredentialField(gettext_lazy("Facebook Page"), secret=False, asked=False),
        "user_token": CredentialField(
            gettext_lazy("User access token"), secret=True, asked=False, required=False
        ),
    }

    @classmethod
    def missing_setup(cls) -> str:
        return Facebook.missing_setup()  # the same Meta app

    @classmethod
    def text_problems(cls, text: str) -> list[tuple[str, str]]:
        problems = []
        for what, used, limit in caption.over_limits(text):
            if what == "hashtags":
                message = gettext("%(used)d hashtags, Instagram takes %(limit)d: remove %(over)d.")
            else:
                message = gettext("%(used)d @mentions, Instagram takes %(limit)d: remove %(over)d.")
            values = {"used": used, "limit": limit, "over": used - limit}
            problems.append((f"too_many_{what}", message % values))
        return problems


class InstagramConnection(Conversations, Figures, Connection):
    """One Instagram professional account, through its linked Page's token."""

    container_checks: ClassVar[int] = 10
    container_interval: ClassVar[float] = 3.0

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
            raise AuthExpired("This Instagram channel has no access token: reconnect it.")
        self.graph = Graph(token)
        self.sleep: Callable[[float], None] = time.sleep
        self._ig_user_id = str(
            self.credentials.get("ig_user_id") or self.settings.get("ig_user_id") or ""
        )

    def close(self) -> None:
        self.graph.close()
        super().close()

    def ig_user_id(self) -> str:
        """The Instagram account's id: stored with the channel, else read from its Page."""
        if not self._ig_user_id:
            page_id = str(self.credentials.get("page_id") or "")
            if not page_id:
                raise Permanent(gettext("This Instagram channel does not say its Facebook Page."))
            page = self.graph.get(page_id, fields="instagram_business_account")
            linked = page.get("instagram_business_account") or {}
            self._ig_user_id = str(linked.get("id") or "") if isinstance(linked, dict) else ""
            if not self._ig_user_id:
                raise Permanent(
                    "No Instagram professional account is linked to this Facebook Page any more."
                )
        return self._ig_user_id

    # -- the account ----------------------------------------------------------------------------

    def whoami(self) -> AccountInfo:
        user = self.graph.get(
            self.ig_user_id(),
            fields="id,username,name,profile_picture_url,followers_count,media_count",
        )
        username = str(user.get("username") or "")
        if not user.get("id") or not username:
            raise Permanent("Meta's answer about the Instagram account was unreadable.")
        followers = user.get("followers_count")
        return AccountInfo(
            remote_id=str(user["id"]),
            handle=username,
            display_name=str(user.get("name") or username),
            url=f"https://www.instagram.com/{username}/",
            avatar_url=str(user.get("profile_picture_url") or ""),
            followers=followers if isinstance(followers, int) else None,
        )

    # -- publishing -----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        if post.reply_to:
            return self.comment(post.reply_to, post.text)
        flow = ContainerFlow(
            self.graph,
            self.ig_user_id(),
            sleep=self.sleep,
            checks=self.container_checks,
            interval=self.container_interval,
        )
        media_id = flow.publish(post)
        return self._describe(media_id, post.text)

    def _describe(self, media_id: str, text: str) -> PublishedPost:
        """The new post's link. It is published already: a failed read only loses the link."""
        try:
            media = self.graph.get(media_id, fields="id,permalink,timestamp")
        except Exception:  # noqa: BLE001 - the post exists; the link is a nicety
            return PublishedPost(remote_id=media_id, text=text)
        return PublishedPost(
            remote_id=media_id,
            url=str(media.get("permalink") or ""),
            published_at=when(media.get("timestamp")) if media.get("timestamp") else None,
            text=text,
        )

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        answer = self.graph.get(
            f"{self.ig_user_id()}/media", fields="id,caption,permalink,timestamp", limit=limit
        )
        return [
            PublishedPost(
                remote_id=str(media["id"]),
                url=str(media.get("permalink") or ""),
                published_at=when(media.get("timestamp")) if media.get("timestamp") else None,
                text=str(media.get("caption") or ""),
            )
            for media in answer.get("data") or []
            if isinstance(media, dict) and media.get("id")
        ]

    def delete(self, remote_id: str) -> None:
        """Delete one of the account's own posts or comments (``DELETE /{id}``). Meta allows
        deleting media since 2025 for accounts connected with Facebook Login; where it refuses,
        its words are shown."""
        self.graph.delete(remote_id)


Instagram.connection_class = InstagramConnection
