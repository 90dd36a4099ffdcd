"""Bluesky's post search, read with the connected account's session.

``app.bsky.feed.searchPosts`` is served by the AppView; the account's PDS proxies it there with
the account's session (signed in with its app password as the Bluesky network package does).
Results come newest first with ``sort=latest``; ``since`` starts the search at the newest post
already handed over, and the URIs heard at that instant are remembered so none comes twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import Permanent
from chorus.channels.networks.bluesky.network import DEFAULT_PDS
from chorus.channels.networks.bluesky.records import AtUri, post_url
from chorus.channels.networks.bluesky.xrpc import Session
from chorus.core import http as chorus_http
from chorus.listening.sources.base import Batch, HeardPost, SourceField, SourceKind
from chorus.listening.sources.common import as_dict, as_list, as_str, parse_iso, remember

SEARCH = "app.bsky.feed.searchPosts"
PAGE_SIZE = 100  # the lexicon's maximum
MAX_PAGES = 3


class BlueskySource(SourceKind):
    key = "bluesky"
    label = _("Bluesky search")
    description = _("Bluesky's post search, read with a connected Bluesky account.")
    channel_network = "bluesky"
    fields = (
        SourceField(
            "terms",
            _("Search words"),
            _('Bluesky\'s search syntax: words, "exact phrases", #hashtags, from:handle.'),
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The session may refresh its tokens: see rotated_credentials.
        self.credentials = dict(self.channel_credentials)
        self.rotated = False

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> None:
        if not str(settings.get("terms", "")).strip():
            raise Permanent(gettext("Enter the words to search Bluesky for."))

    def fetch(self, cursor: Mapping[str, Any]) -> Batch:
        self.check_settings(self.settings)
        pds = str(self.channel_settings.get("base_url") or DEFAULT_PDS).rstrip("/")
        with chorus_http.client(base_url=pds) as http:
            session = Session(http, self.credentials)
            try:
                views = self._search(session, str(cursor.get("since", "")))
            finally:
                # Renewed tokens must reach the channel even when the search then failed.
                self.rotated = self.rotated or session.rotated
        seen = [str(uri) for uri in cursor.get("seen", [])]
        posts = [post for post in map(heard, views) if post is not None]
        fresh = sorted(
            {p.remote_id: p for p in posts if p.remote_id not in set(seen)}.values(),
            key=lambda post: post.published_at,
        )
        return Batch(posts=fresh, cursor=next_cursor(cursor, seen, posts))

    def _search(self, session: Session, since: str) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"q": str(self.settings["terms"]).strip(), "sort": "latest"}
        params["limit"] = PAGE_SIZE
        if since:
            params["since"] = since
        views: list[dict[str, Any]] = []
        for _page in range(MAX_PAGES):
            body = session.call("GET", SEARCH, params=params)
            views.extend(as_dict(v) for v in as_list(body.get("posts")))
            page_cursor = as_str(body.get("cursor"))
            if not since or not page_cursor or len(as_list(body.get("posts"))) < PAGE_SIZE:
                break  # the first poll starts from now; later ones read what came since
            params["cursor"] = page_cursor
        return views

    def rotated_credentials(self) -> dict[str, Any] | None:
        """New session tokens to store on the channel, when the session signed in again."""
        return dict(self.credentials) if self.rotated else None


def next_cursor(
    cursor: Mapping[str, Any], seen: list[str], posts: list[HeardPost]
) -> dict[str, Any]:
    """``since`` is the newest post's time; Bluesky's ``since`` is inclusive, so its URIs stay
    in ``seen``."""
    newest = max((p.published_at for p in posts), default=parse_iso(cursor.get("since")))
    since = newest.isoformat().replace("+00:00", "Z") if newest else ""
    return {"since": since, "seen": remember(seen, [p.remote_id for p in posts])}


def heard(view: dict[str, Any]) -> HeardPost | None:
    uri, record, author = (
        as_str(view.get("uri")),
        as_dict(view.get("record")),
        as_dict(view.get("author")),
    )
    published = parse_iso(record.get("createdAt")) or parse_iso(view.get("indexedAt"))
    if not uri.startswith("at://") or published is None:
        return None
    try:
        AtUri.parse(uri)
    except Permanent:
        return None
    handle = as_str(author.get("handle"))
    langs = as_list(record.get("langs"))
    return HeardPost(
        network="bluesky",
        remote_id=uri,
        url=post_url(handle or as_str(author.get("did")), uri),
        text=as_str(record.get("text")),
        published_at=published,
        author_id=as_str(author.get("did")),
        author_handle=handle,
        author_name=as_str(author.get("displayName")),
        author_url=f"https://bsky.app/profile/{handle}" if handle else "",
        language=as_str(langs[0])[:8] if langs else "",
        extras={"likes": view.get("likeCount"), "reposts": view.get("repostCount")},
    )
