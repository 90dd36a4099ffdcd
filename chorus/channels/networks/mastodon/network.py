"""Mastodon: any instance of it, or of a server speaking its API.

The server address is the channel's ``base_url`` setting and the OAuth access token is its
``access_token`` credential (see :mod:`.oauth` for how Chorus gets one).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, ClassVar

import httpx
from django.utils.translation import gettext_lazy

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CountMode,
    CredentialField,
    InboxItem,
    InboxPage,
    Limits,
    Network,
    OutgoingPost,
    Poll,
    PostMetrics,
    PublishedPost,
    RateLimitState,
)
from chorus.channels.errors import AuthExpired, Permanent, Unconfirmed
from chorus.channels.networks.mastodon import attachments, inbox
from chorus.channels.networks.mastodon.instance import limits_from_instance
from chorus.channels.networks.mastodon.media import MediaUploader
from chorus.channels.networks.mastodon.oauth import MastodonOAuth, instance_root
from chorus.channels.networks.mastodon.payload import (
    RateLimit,
    read_json,
    read_rate_limit,
    reading,
    to_account_info,
    to_metrics,
    to_published_post,
)
from chorus.channels.networks.mastodon.posting import (
    addressed_to_all,
    participants,
    status_body,
)
from chorus.channels.networks.mastodon.text import text_as_mastodon_counts_it
from chorus.channels.oauth import OAuthSetup
from chorus.core.http import raise_for_status, translate_errors

MB = 1024 * 1024


class Mastodon(Network):
    key = "mastodon"
    label = "Mastodon"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.THREAD,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.VIDEO,
            Capability.POLL,
            Capability.CONTENT_WARNING,
            Capability.VISIBILITY,
            Capability.INBOX,
            Capability.REPLY,
            Capability.DELETE,
            Capability.METRICS,
            Capability.SEARCH,
            Capability.IDEMPOTENCY_KEY,
        }
    )
    # Mastodon's own defaults; a server may raise them: ask ``instance_limits()`` for the truth.
    limits = Limits(
        max_chars=500,
        # The server counts what a person sees as one character (``each_grapheme_cluster``):
        # a family emoji is one, not five code points.
        count_mode=CountMode.GRAPHEMES,
        url_weight=23,
        max_media=4,
        video_types=("video/mp4", "video/webm", "video/quicktime"),
        max_image_bytes=16 * MB,
        max_video_bytes=99 * MB,
        poll_max_options=4,
    )
    tagline = gettext_lazy("Any Mastodon server: sign in there and approve Chorus.")
    oauth: ClassVar[OAuthSetup | None] = MastodonOAuth()
    post_metrics = frozenset({"likes", "shares", "replies", "quotes"})
    account_metrics = frozenset({"followers"})
    preview_template = "mastodon/preview.html"
    # Filled in by the OAuth sign-in, never typed.
    credential_fields = {
        "access_token": CredentialField(gettext_lazy("Access token"), secret=True, asked=False)
    }

    @classmethod
    def count_text(cls, text: str) -> int:
        return super().count_text(text_as_mastodon_counts_it(text))


class MastodonConnection(Connection):
    """One Mastodon account on one server."""

    inbox_page_size: ClassVar[int] = 40  # the most Mastodon returns per page
    inbox_max_pages: ClassVar[int] = 5  # per poll; the cursor picks up the rest next time

    def __init__(
        self,
        network: type[Network],
        credentials: dict[str, Any],
        settings: dict[str, Any],
        *,
        http: httpx.Client | None = None,
    ) -> None:
        super().__init__(network, credentials, settings, http=http)
        self.rate_limit = RateLimit()
        self.sleep: Callable[[float], None] = time.sleep
        self._account: AccountInfo | None = None

    # -- talking to the server ------------------------------------------------------------------

    def call(
        self,
        method: str,
        path: str,
        *,
        may_have_applied: bool = False,
        missing_ok: bool = False,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        """One API request, classified (DESIGN.md invariant 5), with the rate limit noted."""
        url = f"{instance_root(self.base_url())}{path}"
        all_headers = {"Authorization": f"Bearer {self._access_token()}", **(headers or {})}
        with translate_errors(may_have_applied=may_have_applied):
            response = self.http.request(method, url, headers=all_headers, **kw)
        self.rate_limit = read_rate_limit(response) or self.rate_limit
        self.last_rate_limit = RateLimitState.from_response(response) or self.last_rate_limit
        if not (missing_ok and response.status_code == 404):
            raise_for_status(response, may_have_applied=may_have_applied)
        return response

    def get_json(self, path: str, what: str, params: dict[str, Any] | None = None) -> Any:
        return read_json(self.call("GET", path, params=params), what)

    def _access_token(self) -> str:
        token = str(self.credentials.get("access_token") or "")
        if not token:
            raise AuthExpired("This Mastodon channel has no access token: reconnect it.")
        return token

    # -- the account ----------------------------------------------------------------------------

    def whoami(self) -> AccountInfo:
        account = self.get_json("/api/v1/accounts/verify_credentials", "the connected account")
        self._account = to_account_info(account)
        return self._account

    def own_account(self) -> AccountInfo:
        return self._account or self.whoami()

    def instance_limits(self) -> Limits:
        """This server's real limits: v2 instance info, or v1 on servers older than 4.0."""
        response = self.call("GET", "/api/v2/instance", missing_ok=True)
        if response.status_code == 404:
            response = self.call("GET", "/api/v1/instance")
        return limits_from_instance(read_json(response, "the server's limits"), self.network.limits)

    # -- publishing -----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        uploader = MediaUploader(self.call, sleep=self.sleep, wait_seconds=self._media_wait())
        body = status_body(post, [uploader.upload(media) for media in post.media])
        keyed = bool(post.idempotency_key)
        # Mastodon answers a repeated Idempotency-Key with the post it already made (for an
        # hour), so a request that carried one is safe to retry: a lost answer is Transient.
        # Without a key, a lost answer may hide a published post: Unconfirmed.
        response = self.call(
            "POST",
            "/api/v1/statuses",
            json=body,
            headers={"Idempotency-Key": post.idempotency_key} if keyed else {},
            may_have_applied=not keyed,
        )
        return self._published(response)

    def _published(self, response: httpx.Response) -> PublishedPost:
        """The post Mastodon made. It answered 200, so the post exists even if we cannot read it."""
        try:
            return to_published_post(read_json(response, "the new post"))
        except Permanent as exc:
            raise Unconfirmed(
                "Mastodon accepted the post but its answer was unreadable; Chorus will check "
                "the account's recent posts.",
                detail=exc.detail,
            ) from exc

    def _media_wait(self) -> float:
        return float(self.settings.get("media_wait_seconds", 120))

    def reply(self, in_reply_to: str, text: str, idempotency_key: str = "") -> PublishedPost:
        """Answer a post, addressed to its author (and in a direct conversation to everyone in
        it), no more visible than the post itself and behind the same content warning."""
        original = self.get_json(f"/api/v1/statuses/{in_reply_to}", "the message being answered")
        with reading("the message being answered"):
            author = str(original["account"]["acct"])
            visibility = str(original.get("visibility") or "public")
            warning = str(original.get("spoiler_text") or "").strip()
        others = attachments.addressed_to(original) if visibility == "direct" else ()
        text = addressed_to_all(participants(author, others, self.own_account().handle), text)
        options = {"visibility": visibility}
        if warning:
            options["content_warning"] = warning
        answer = OutgoingPost(
            text=text, reply_to=in_reply_to, options=options, idempotency_key=idempotency_key
        )
        return self.publish(answer)

    def delete(self, remote_id: str) -> None:
        """Delete a post; one that is already gone counts as deleted."""
        self.call("DELETE", f"/api/v1/statuses/{remote_id}", missing_ok=True)

    # -- reading back ---------------------------------------------------------------------------

    def metrics(self, remote_id: str) -> PostMetrics:
        return to_metrics(self.get_json(f"/api/v1/statuses/{remote_id}", "the post's numbers"))

    def read_poll(self, remote_id: str) -> Poll:
        """The poll on one of our posts, as the status carries it (``hide_totals`` polls have
        no counts until they expire: the options' votes are then None)."""
        status = self.get_json(f"/api/v1/statuses/{remote_id}", "the post's poll")
        with reading("the post's poll"):
            poll = attachments.poll_of(status)
        if poll is None:
            raise Permanent("This Mastodon post has no poll.")
        return poll

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        """The account's latest posts (not boosts), newest first, to reconcile publications."""
        path = f"/api/v1/accounts/{self.own_account().remote_id}/statuses"
        params = {"limit": max(1, min(limit, 40)), "exclude_reblogs": "true"}
        statuses = self.get_json(path, "the account's posts", params)
        with reading("the account's posts"):
            return [to_published_post(status) for status in statuses]

    def search(self, query: str, limit: int = 20) -> list[InboxItem]:
        """Posts matching ``query``. Most servers only search posts that opted in to search."""
        params = {"q": query, "type": "statuses", "resolve": "false", "limit": min(limit, 40)}
        found = self.get_json("/api/v2/search", "the search", params)
        with reading("the search"):
            return [inbox.status_to_item(status) for status in found["statuses"]]

    # -- inbox ----------------------------------------------------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """Mentions, replies and direct messages newer than ``cursor``, oldest first."""
        positions = inbox.read_cursor(cursor)
        notifications, positions["mentions"] = self._newer_than(
            "/api/v1/notifications",
            positions.get("mentions", ""),
            _notification_id,
            {"types[]": "mention"},
        )
        conversations, positions["direct"] = self._newer_than(
            "/api/v1/conversations",
            positions.get("direct", ""),
            _conversation_position,
            {},
        )
        items = inbox.merge_by_id(
            inbox.mentions_from_notifications(notifications),
            inbox.direct_messages_from_conversations(conversations, self.own_account().remote_id),
        )
        return InboxPage(items=items, cursor=inbox.write_cursor(positions))

    def _newer_than(
        self, path: str, since: str, position_of: Callable[[Any], str], params: dict[str, str]
    ) -> tuple[list[Any], str]:
        """Page forward from ``since`` with ``min_id`` so a busy hour loses nothing.

        The first poll (no position yet) takes only the latest page: old history is not inbox.
        """
        collected: list[Any] = []
        position = since
        for _ in range(self.inbox_max_pages):
            query: dict[str, Any] = {**params, "limit": self.inbox_page_size}
            if position:
                query["min_id"] = position
            page = self.get_json(path, "the inbox", query)
            if not isinstance(page, list):
                raise Permanent("Mastodon's answer about the inbox is not a list of messages.")
            collected.extend(page)
            with reading("the inbox"):
                position = inbox.newest_id([position_of(entry) for entry in page], position)
            if not since or len(page) < self.inbox_page_size:
                break
        return collected, position


def _notification_id(notification: Any) -> str:
    return str(notification["id"])


def _conversation_position(conversation: Any) -> str:
    # Mastodon pages conversations by the id of their latest message, not their own id.
    status = conversation.get("last_status")
    return str(status["id"]) if status else ""


Mastodon.connection_class = MastodonConnection
