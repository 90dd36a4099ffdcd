"""Reading what Bluesky's AppView says: notifications become inbox items, post views metrics.

The AppView answers are user content from strangers: one odd notification is skipped, never a
crash of the whole poll; an answer without its main list is refused as unreadable.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chorus.channels.base import Author, InboxItem, PostMetrics
from chorus.channels.errors import Permanent

from .embeds import media_of, quote_of, text_with_link_addresses
from .records import APP_URL, POST, parse_time, post_url

# What a community manager answers; likes, reposts and follows are counted, not answered.
INBOX_KINDS = {"reply": "reply", "mention": "mention", "quote": "mention"}


def notifications_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    items = body.get("notifications")
    if not isinstance(items, list):
        raise Permanent(
            "Bluesky sent an answer Chorus could not read.",
            detail="listNotifications: no notifications list",
        )
    return [item for item in items if isinstance(item, dict)]


def author_of(profile: dict[str, Any]) -> Author | None:
    did, handle = profile.get("did"), profile.get("handle")
    if not isinstance(did, str) or not isinstance(handle, str):
        return None
    return Author(
        remote_id=did,
        handle=handle,
        display_name=_text(profile.get("displayName")),
        url=f"{APP_URL}/profile/{handle}",
        avatar_url=_text(profile.get("avatar")),
        followers=_count(profile, "followersCount") if "followersCount" in profile else None,
    )


def inbox_item(notification: dict[str, Any]) -> InboxItem | None:
    """One reply, mention or quote; None for other reasons or a notification missing its parts."""
    kind = INBOX_KINDS.get(str(notification.get("reason")))
    uri, record = notification.get("uri"), notification.get("record")
    author = author_of(notification.get("author") or {})
    if kind is None or author is None or not isinstance(uri, str) or not isinstance(record, dict):
        return None
    if record.get("$type", POST) != POST:
        return None
    created = parse_time(record.get("createdAt")) or parse_time(notification.get("indexedAt"))
    if created is None:
        return None
    parent, root = _reply_uris(record)
    try:
        url = post_url(author.handle, uri)
    except Permanent:
        return None
    return InboxItem(
        remote_id=uri,
        kind=kind,
        conversation_id=root or uri,  # a mention outside any thread starts its own conversation
        author=author,
        text=text_with_link_addresses(record),
        created_at=created,
        in_reply_to=parent,
        url=url,
        media=media_of(record, author.remote_id),
        quoted=quote_of(record),
    )


def _reply_uris(record: dict[str, Any]) -> tuple[str, str]:
    reply = record.get("reply")
    if not isinstance(reply, dict):
        return "", ""
    parent, root = reply.get("parent"), reply.get("root")
    parent_uri = parent.get("uri") if isinstance(parent, dict) else None
    root_uri = root.get("uri") if isinstance(root, dict) else None
    return _text(parent_uri), _text(root_uri)


def newer_than(notification: dict[str, Any], seen_until: datetime | None) -> bool:
    indexed = parse_time(notification.get("indexedAt"))
    return seen_until is None or (indexed is not None and indexed > seen_until)


def metrics_of(body: dict[str, Any], uri: str) -> PostMetrics:
    """Counts from ``app.bsky.feed.getPosts`` for the post ``uri``."""
    posts = body.get("posts")
    if not isinstance(posts, list):
        raise Permanent(
            "Bluesky sent an answer Chorus could not read.", detail="getPosts: no posts"
        )
    view = next((p for p in posts if isinstance(p, dict) and p.get("uri") == uri), None)
    if view is None:
        # getPosts leaves out what it cannot show: deleted, or hidden from us.
        raise Permanent("This post is no longer on Bluesky.", detail=f"getPosts: {uri} missing")
    reposts, quotes = _count(view, "repostCount"), _count(view, "quoteCount")
    return PostMetrics(
        likes=_count(view, "likeCount"),
        shares=reposts + quotes,
        replies=_count(view, "replyCount"),
        views=None,  # Bluesky does not publish view counts
        extra={"reposts": reposts, "quotes": quotes, "bookmarks": _count(view, "bookmarkCount")},
    )


def _count(view: dict[str, Any], key: str) -> int:
    value = view.get(key)
    return value if isinstance(value, int) and value >= 0 else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
