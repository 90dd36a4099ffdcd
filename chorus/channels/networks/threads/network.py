"""Threads: one Threads profile per channel, through Meta's Threads API (graph.threads.net).

The channel's ``remote_id`` is the Threads user id; its credentials are ``{"access_token": <the
60-day token>, "expires_at": <ISO time>, "user_id": …}``. The token is renewed
(``th_refresh_token``) by the first call made when fewer than 30 days are left, and handed to
the channel's lifecycle through ``rotated_credentials``; a refused token is renewed once through
``refreshed_credentials`` before the channel asks to be reconnected.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CredentialField,
    InboxItem,
    InboxPage,
    Limits,
    Network,
    OutgoingPost,
    PostMetrics,
    PublishedPost,
)
from chorus.channels.errors import AuthExpired, ChannelError, Permanent
from chorus.channels.networks.meta.graph import Graph
from chorus.channels.networks.threads import api, inbox, insights, publishing
from chorus.channels.networks.threads.counting import threads_length
from chorus.channels.networks.threads.oauth import PROFILE_FIELDS, ThreadsOAuth, is_configured
from chorus.channels.networks.threads.steps import ThreadsSteps
from chorus.channels.oauth import OAuthSetup
from chorus.channels.steps import ChannelSteps

log = logging.getLogger(__name__)
MB = 1024 * 1024


class Threads(Network):
    key = "threads"
    label = "Threads"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.THREAD,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.INBOX,
            Capability.REPLY,
            Capability.HIDE,
            Capability.DELETE,
            Capability.METRICS,
        }
    )
    limits = Limits(
        max_chars=500,
        max_media=publishing.MAX_CAROUSEL,
        image_types=("image/jpeg", "image/png"),
        max_image_bytes=8 * MB,
    )
    tagline = gettext_lazy("A Threads profile: posts, threads and carousels, replies, insights.")
    oauth: ClassVar[OAuthSetup | None] = ThreadsOAuth()
    fetches_media = True  # Threads takes an address for each picture, never an upload
    post_metrics = frozenset({"views", "likes", "replies", "reposts", "quotes"})
    account_metrics = frozenset({"followers", "views"})
    preview_template = "threads/preview.html"
    steps: ClassVar[ChannelSteps] = ThreadsSteps()
    credential_fields = {
        "access_token": CredentialField(gettext_lazy("Access token"), secret=True, asked=False)
    }

    @classmethod
    def count_text(cls, text: str) -> int:
        return threads_length(text)

    @classmethod
    def is_offered(cls) -> bool:
        return is_configured()


class ThreadsConnection(Connection):
    """One Threads profile."""

    inbox_posts: ClassVar[int] = 10  # our latest posts whose replies each poll reads

    def __init__(
        self,
        network: type[Network],
        credentials: dict[str, Any],
        settings: dict[str, Any],
        *,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(network, credentials, settings, http=http)
        self.sleep: Callable[[float], None] = time.sleep
        self._graph: Graph | None = None
        self._rotated: dict[str, Any] | None = None

    # -- the token --------------------------------------------------------------------------------

    def _token(self) -> str:
        token = str(self.credentials.get("access_token") or "")
        if not token:
            raise AuthExpired("This Threads channel has no access token: reconnect it.")
        return token

    def graph(self) -> Graph:
        """The Graph client on the channel's token, renewed first when it is due."""
        if self._graph is None:
            if api.due_for_renewal(self.credentials):
                self._renew_quietly()
            self._graph = api.threads_graph(self._token())
        return self._graph

    def _renew_quietly(self) -> None:
        """Renew ahead of expiry; a failure leaves the current token, still valid, in use."""
        try:
            self._take(api.renewed(self._token()))
        except ChannelError as error:
            log.info("threads: renewing the token failed: %s", type(error).__name__)

    def _take(self, token: api.LongLivedToken) -> dict[str, Any]:
        fresh = token.as_credentials()
        self.credentials.update(fresh)
        self._rotated = {**(self._rotated or {}), **fresh}
        if self._graph is not None:
            self._graph.close()
            self._graph = None
        return fresh

    def refreshed_credentials(self) -> dict[str, Any] | None:
        """After a refusal: one try at renewing (works while the token has not lapsed)."""
        fresh = self._take(api.renewed(self._token()))
        self._rotated = None  # handed over here, not again through rotated_credentials
        return fresh

    def rotated_credentials(self) -> dict[str, Any] | None:
        rotated, self._rotated = self._rotated, None
        return rotated

    def close(self) -> None:
        if self._graph is not None:
            self._graph.close()
        super().close()

    def _user(self) -> str:
        return str(self.credentials.get("user_id") or "me")

    # -- the account ------------------------------------------------------------------------------

    def whoami(self) -> AccountInfo:
        profile = self.graph().get("me", fields=PROFILE_FIELDS)
        if not profile.get("id"):
            raise Permanent("Threads did not say which profile this token belongs to.")
        username = str(profile.get("username") or profile["id"])
        return AccountInfo(
            remote_id=str(profile["id"]),
            handle=f"@{username}",
            display_name=str(profile.get("name") or username),
            url=inbox.PROFILE_URL.format(username=username),
            avatar_url=str(profile.get("threads_profile_picture_url") or ""),
        )

    # -- publishing -------------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        graph = self.graph()
        publishing.check_quota(graph, self._user(), is_reply=bool(post.reply_to))
        flow = publishing.ContainerFlow(
            graph,
            self._user(),
            sleep=self.sleep,
            poll_seconds=float(self.settings.get("media_poll_seconds", 5)),
            wait_seconds=float(self.settings.get("media_wait_seconds", 300)),
        )
        return flow.publish(post)

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        return publishing.recent_posts(self.graph(), limit)

    def delete(self, remote_id: str) -> None:
        self.graph().delete(remote_id)

    # -- inbox and moderation ---------------------------------------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """Replies in our latest threads and posts that mention us, newer than ``cursor``."""
        since = inbox.read_cursor(cursor)
        graph = self.graph()
        items = [*self._replies(graph), *self._mentions(graph)]
        fresh = {item.remote_id: item for item in items if since is None or item.created_at > since}
        ordered = sorted(fresh.values(), key=lambda item: item.created_at)
        return InboxPage(items=ordered, cursor=inbox.write_cursor(ordered, since))

    def _replies(self, graph: Graph) -> list[InboxItem]:
        posts = graph.get("me/threads", fields="id", limit=self.inbox_posts).get("data") or []
        found: list[InboxItem] = []
        for post in posts:
            if not isinstance(post, dict) or not post.get("id"):
                continue
            for reply in graph.pages(
                f"{post['id']}/conversation", fields=inbox.REPLY_FIELDS, reverse="false"
            ):
                item = inbox.item_from_reply(reply)
                if item is not None:
                    found.append(item)
        return found

    def _mentions(self, graph: Graph) -> list[InboxItem]:
        try:
            mentions = list(graph.pages(f"{self._user()}/mentions", fields=inbox.REPLY_FIELDS))
        except Permanent as refused:  # the mentions permission not granted: replies still come
            log.info("threads: mentions refused: %s", refused.detail)
            return []
        return [item for obj in mentions if (item := inbox.item_from_mention(obj)) is not None]

    def hide(self, remote_id: str) -> None:
        self.graph().post(f"{remote_id}/manage_reply", hide=True)

    def unhide(self, remote_id: str) -> None:
        self.graph().post(f"{remote_id}/manage_reply", hide=False)

    # -- figures ----------------------------------------------------------------------------------

    def metrics(self, remote_id: str) -> PostMetrics:
        return insights.post_metrics(self.graph(), remote_id)

    def audience(self) -> dict[str, int]:
        return insights.account_figures(self.graph(), self._user())


Threads.connection_class = ThreadsConnection
