"""Bluesky: a handle and an app password, posts with facets, images, link cards and threads.

Posts are records in the account's repository on its PDS (``com.atproto.repo.*``); likes, reposts,
notifications and counts come from the AppView, which the PDS proxies ``app.bsky.*`` calls to.
Bluesky takes no idempotency key: a createRecord whose answer was lost is ``Unconfirmed`` and the
dispatcher reconciles with :meth:`BlueskyConnection.recent_posts`. Hiding a reply is a change to
the thread gate of one of our own posts (:mod:`.hiding`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CountMode,
    CredentialField,
    InboxPage,
    Limits,
    MediaFile,
    Network,
    OutgoingPost,
    PostMetrics,
    PublishedPost,
    SettingField,
)
from chorus.channels.errors import Permanent, Unconfirmed

from . import hiding, reading
from .records import (
    APP_URL,
    POST,
    AtUri,
    external_embed,
    images_embed,
    now_iso,
    parse_time,
    post_record,
    post_url,
    reply_ref,
)
from .richtext import find_facets
from .xrpc import Session, require_str

DEFAULT_PDS = "https://bsky.social"
MAX_TEXT_BYTES = 3000  # app.bsky.feed.post: text maxLength, in UTF-8 bytes
MAX_THUMB_BYTES = 1_000_000  # app.bsky.embed.external: thumb maxSize
INBOX_PAGE_SIZE = 50
INBOX_MAX_PAGES = 4  # a poll reads at most this far back; older ones were seen by earlier polls


class BlueskyConnection(Connection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = Session(self.http, self.credentials)

    def base_url(self) -> str:
        return str(self.settings.get("base_url") or DEFAULT_PDS).rstrip("/")

    # -- account -----------------------------------------------------------------------------

    def whoami(self) -> AccountInfo:
        """Signs in if needed (a wrong app password is a Permanent error at connect time)."""
        body = self.session.call("GET", "com.atproto.server.getSession")
        did = require_str(body, "did", where="getSession")
        handle = require_str(body, "handle", where="getSession")
        return AccountInfo(
            remote_id=did,
            handle=handle,
            display_name=self._display_name(did),
            url=f"{APP_URL}/profile/{handle}",
        )

    def _display_name(self, did: str) -> str:
        """From the profile record on the PDS: works without the AppView. Missing is fine."""
        try:
            body = self.session.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": did, "collection": "app.bsky.actor.profile", "rkey": "self"},
            )
        except Permanent:
            return ""
        value = body.get("value")
        name = value.get("displayName") if isinstance(value, dict) else None
        return name if isinstance(name, str) else ""

    def refreshed_credentials(self) -> dict[str, Any] | None:
        """Bluesky rotates both tokens on refreshSession; the new pair must be stored."""
        self.session.refresh()
        return dict(self.credentials)

    @property
    def credentials_rotated(self) -> bool:
        """True when a call signed in or refreshed: store ``self.credentials`` afterwards."""
        return self.session.rotated

    def rotated_credentials(self) -> dict[str, Any] | None:
        """Any call may sign in or refresh, and a refresh token works once: the new pair must
        be stored, or the next connection would sign in again with the app password."""
        if not self.session.rotated:
            return None
        self.session.rotated = False
        return dict(self.credentials)

    # -- publishing --------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        check_post(post)
        reply = self._reply_refs(post.reply_to) if post.reply_to else None
        embed = self._embed(post)
        created_at = now_iso()
        record = post_record(
            post.text,
            created_at=created_at,
            facets=find_facets(post.text, self.resolve_handle),
            reply=reply,
            embed=embed,
            langs=list(post.options.get("langs") or []),
        )
        body = self.session.call(
            "POST",
            "com.atproto.repo.createRecord",
            json={"repo": self.session.did, "collection": POST, "record": record},
            may_have_applied=True,
        )
        uri = _created_uri(body)
        return PublishedPost(
            remote_id=uri,
            url=post_url(self.session.handle, uri),
            published_at=parse_time(created_at),
            text=post.text,
        )

    def reply(self, remote_id: str, text: str) -> PublishedPost:
        """Answer a post (an inbox item's ``remote_id``) from this account."""
        return self.publish(OutgoingPost(text=text, reply_to=remote_id))

    def _reply_refs(self, parent_uri: str) -> dict[str, Any]:
        parent = AtUri.parse(parent_uri)
        try:
            body = self.session.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": parent.repo, "collection": parent.collection, "rkey": parent.rkey},
            )
        except Permanent as refused:
            raise Permanent(
                "The post this answers is no longer on Bluesky.", detail=refused.detail
            ) from refused
        return reply_ref(body)

    def _embed(self, post: OutgoingPost) -> dict[str, Any] | None:
        card = post.options.get("link_card")
        if post.media and card:
            raise Permanent("Bluesky shows images or a link card on a post, not both.")
        if post.media:
            blobs = [(self.upload(media), media.alt_text) for media in post.media]
            return images_embed(blobs)
        if card:
            return external_embed(card, self._card_thumb(card.get("thumb")))
        return None

    def _card_thumb(self, thumb: Any) -> dict[str, Any] | None:
        if isinstance(thumb, bytes):
            thumb = MediaFile(filename="thumb", mime_type="image/jpeg", data=thumb)
        if not isinstance(thumb, MediaFile):
            return None
        if thumb.byte_size > MAX_THUMB_BYTES:
            raise Permanent("The link card's image is over 1 MB: Bluesky will not take it.")
        return self.upload(thumb)

    def upload(self, media: MediaFile) -> dict[str, Any]:
        """uploadBlob; the blob is kept by the PDS only if a record points to it soon after."""
        body = self.session.call(
            "POST",
            "com.atproto.repo.uploadBlob",
            content=media.chunks(),  # streamed, with its length: no chunked encoding
            headers={
                "Content-Type": media.mime_type or "application/octet-stream",
                "Content-Length": str(media.byte_size),
            },
        )
        blob = body.get("blob")
        if not isinstance(blob, dict) or blob.get("$type") != "blob":
            raise Permanent("Bluesky sent an answer Chorus could not read.", detail="uploadBlob")
        return blob

    def resolve_handle(self, handle: str) -> str | None:
        """The DID behind ``@handle``, or None: an unknown mention stays plain text."""
        try:
            body = self.session.call_anonymous(
                "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
            )
        except Permanent:
            return None
        did = body.get("did")
        return did if isinstance(did, str) and did.startswith("did:") else None

    def delete(self, remote_id: str) -> None:
        """deleteRecord; deleting a post that is already gone succeeds."""
        target = AtUri.parse(remote_id)
        if target.repo not in (self.session.did, self.session.handle) or target.collection != POST:
            raise Permanent("Chorus can only delete this account's own posts.")
        self.session.call(
            "POST",
            "com.atproto.repo.deleteRecord",
            json={"repo": self.session.did, "collection": POST, "rkey": target.rkey},
        )

    # -- moderation --------------------------------------------------------------------------

    def hide(self, remote_id: str) -> None:
        """Fold a reply away in a thread this account started, through the thread gate."""
        hiding.set_hidden(self.session, remote_id, hidden=True)

    def unhide(self, remote_id: str) -> None:
        """Show a reply hidden with :meth:`hide` again; showing a visible one changes nothing."""
        hiding.set_hidden(self.session, remote_id, hidden=False)

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        body = self.session.call(
            "GET",
            "com.atproto.repo.listRecords",
            params={"repo": self.session.did, "collection": POST, "limit": min(max(limit, 1), 100)},
        )
        records = body.get("records")
        if not isinstance(records, list):
            raise Permanent("Bluesky sent an answer Chorus could not read.", detail="listRecords")
        return [p for r in records if (p := self._published(r)) is not None]

    def _published(self, record: Any) -> PublishedPost | None:
        if not isinstance(record, dict) or not isinstance(record.get("uri"), str):
            return None
        value = record.get("value")
        if not isinstance(value, dict):
            value = {}
        text = value.get("text")
        try:
            url = post_url(self.session.handle, record["uri"])
        except Permanent:
            return None  # not a post address: nothing to reconcile against
        return PublishedPost(
            remote_id=record["uri"],
            url=url,
            published_at=parse_time(value.get("createdAt")),
            text=text if isinstance(text, str) else "",
        )

    # -- inbox and metrics (AppView, through the PDS) ----------------------------------------

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        """Replies, mentions and quotes newer than ``cursor``.

        Bluesky's own cursor walks back in time, so ours is different: the ``indexedAt`` of the
        newest notification already handed over. A poll reads pages until it reaches it.
        """
        seen_until = parse_time(cursor)
        fresh: list[dict[str, Any]] = []
        page_cursor = ""
        for _ in range(INBOX_MAX_PAGES):
            body = self._notifications(page_cursor)
            page = reading.notifications_of(body)
            newer = [n for n in page if reading.newer_than(n, seen_until)]
            fresh.extend(newer)
            next_cursor = body.get("cursor")
            page_cursor = next_cursor if isinstance(next_cursor, str) else ""
            if seen_until is None or len(newer) < len(page) or not page_cursor:
                break
        items = [item for n in fresh if (item := reading.inbox_item(n)) is not None]
        return InboxPage(items=items, cursor=_newest_indexed_at(fresh) or cursor)

    def _notifications(self, cursor: str) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": INBOX_PAGE_SIZE, "reasons": list(reading.INBOX_KINDS)}
        if cursor:
            params["cursor"] = cursor
        return self.session.call("GET", "app.bsky.notification.listNotifications", params=params)

    def metrics(self, remote_id: str) -> PostMetrics:
        body = self.session.call("GET", "app.bsky.feed.getPosts", params={"uris": [remote_id]})
        return reading.metrics_of(body, remote_id)

    def audience(self) -> dict[str, int]:
        """The account's followers, from its profile view (AppView: getSession has none)."""
        body = self.session.call(
            "GET", "app.bsky.actor.getProfile", params={"actor": self.session.did}
        )
        count = body.get("followersCount")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            return {}  # the view leaves out what it does not know: not available, never 0
        return {"followers": count}


def check_post(post: OutgoingPost) -> None:
    """Refuse before uploading anything what Bluesky would refuse after."""
    count = Bluesky.count_text(post.text)
    if count > Bluesky.limits.max_chars:
        raise Permanent(f"The text is {count} characters long; Bluesky allows 300.")
    if len(post.text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise Permanent("The text is too long for Bluesky.")
    if not post.text.strip() and not post.media and not post.options.get("link_card"):
        raise Permanent("A Bluesky post needs text, an image or a link card.")
    if len(post.media) > Bluesky.limits.max_media:
        raise Permanent(f"Bluesky takes at most {Bluesky.limits.max_media} images per post.")
    for media in post.media:
        check_image(media)


def check_image(media: MediaFile) -> None:
    limits = Bluesky.limits
    if media.mime_type not in limits.image_types:
        raise Permanent(f"Bluesky does not take {media.filename} ({media.mime_type}) as an image.")
    if media.byte_size > limits.max_image_bytes:
        raise Permanent(f"{media.filename} is over {limits.max_image_bytes // 1_000_000} MB.")
    if Bluesky.count_text(media.alt_text) > limits.max_alt_text:
        raise Permanent(f"The description of {media.filename} is too long for Bluesky.")


def _created_uri(body: dict[str, Any]) -> str:
    uri = body.get("uri")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        # createRecord said yes but not where: the post probably exists, so reconcile.
        raise Unconfirmed("Bluesky accepted the post but its answer was unreadable.")
    return uri


def _newest_indexed_at(notifications: list[dict[str, Any]]) -> str:
    dated = [
        (moment, n["indexedAt"])
        for n in notifications
        if (moment := parse_time(n.get("indexedAt"))) is not None
    ]
    return max(dated, key=lambda pair: pair[0])[1] if dated else ""


class Bluesky(Network):
    key = "bluesky"
    label = "Bluesky"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.THREAD,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.LINK_CARD,
            Capability.INBOX,
            Capability.REPLY,
            Capability.HIDE,  # replies in our own threads only: see hiding.py
            Capability.DELETE,
            Capability.METRICS,
            Capability.SEARCH,  # listening's Bluesky source reads app.bsky.feed.searchPosts
        }
    )
    limits = Limits(
        max_chars=300,
        count_mode=CountMode.GRAPHEMES,
        max_media=4,
        # app.bsky.embed.images: "May be up to 2 MB, formerly limited to 1 MB."
        max_image_bytes=2_000_000,
        max_alt_text=2000,  # the Bluesky app's limit; the lexicon sets none
    )
    tagline = gettext_lazy("A handle and an app password; your main password stays yours.")
    credential_fields = {
        "identifier": CredentialField(
            gettext_lazy("Handle"),
            secret=False,
            help_text=gettext_lazy("For example alice.bsky.social (or the account's DID)."),
        ),
        "app_password": CredentialField(
            gettext_lazy("App password"),
            secret=True,
            help_text=gettext_lazy(
                "Create one in Bluesky under Settings → Privacy and security → App passwords. "
                "Never your main password."
            ),
            strip=False,
        ),
    }
    settings_fields = {
        "base_url": SettingField(
            label=gettext_lazy("PDS address"),
            help_text=gettext_lazy(
                "Only if the account is not hosted by Bluesky itself, like https://pds.example.org."
            ),
            required=False,
            is_url=True,
        )
    }
    connection_class = BlueskyConnection
    # shares = reposts + quotes; Bluesky publishes no view counts.
    post_metrics = frozenset({"likes", "shares", "replies", "reposts", "quotes", "bookmarks"})
    account_metrics = frozenset({"followers"})
    preview_template = "bluesky/preview.html"
