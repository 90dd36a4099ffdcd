"""Reading a Page: who it is, its recent posts (to reconcile), and its inbox by polling —
comments and replies on its recent posts, posts that tag it, and Messenger conversations when
the person granted ``pages_messaging``.

The cursor is the time of the newest thing seen (JSON ``{"since": ISO time}``): Graph edges are
newest first with no "since this id", so each poll reads the first page of each edge and keeps
what is newer. The first poll takes what the first pages hold.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chorus.channels.base import AccountInfo, InboxItem, InboxPage, PublishedPost
from chorus.channels.networks.facebook import inbox as mapping
from chorus.channels.networks.facebook.publishing import post_url
from chorus.channels.networks.meta.graph import Graph

COMMENT_PAGES = 3  # of 100 comments each, per post and per poll
POSTS_WATCHED = 10  # the Page's latest posts whose comments are read on each poll
COMMENT_FIELDS = "id,from,message,created_time,permalink_url,parent{id},is_hidden,attachment"
TAGGED_FIELDS = "id,from,message,created_time,permalink_url"
MESSAGE_FIELDS = "id,from,message,created_time,attachments"


def page_account(page: dict[str, Any]) -> AccountInfo:
    picture = ((page.get("picture") or {}).get("data") or {}).get("url") or ""
    followers = page.get("followers_count")
    name = str(page.get("name") or page["id"])
    return AccountInfo(
        remote_id=str(page["id"]),
        handle=str(page.get("username") or name),
        display_name=name,
        url=str(page.get("link") or post_url(str(page["id"]))),
        avatar_url=str(picture),
        followers=followers if isinstance(followers, int) else None,
    )


def recent_posts(graph: Graph, page_id: str, limit: int = 40) -> list[PublishedPost]:
    """The Page's latest posts, newest first, to find one whose answer was lost."""
    answer = graph.get(
        f"{page_id}/feed", fields="id,message,created_time,permalink_url", limit=min(limit, 100)
    )
    return [
        PublishedPost(
            remote_id=str(post["id"]),
            url=str(post.get("permalink_url") or post_url(str(post["id"]))),
            published_at=mapping.graph_time(post.get("created_time")),
            text=str(post.get("message") or ""),
        )
        for post in answer.get("data") or []
        if isinstance(post, dict) and post.get("id")
    ]


def read_cursor(cursor: str) -> datetime | None:
    try:
        since = json.loads(cursor).get("since") if cursor else None
        return datetime.fromisoformat(since) if since else None
    except (ValueError, AttributeError, TypeError):
        return None  # an unreadable cursor: read again; ingest stores each message once


def read_inbox(graph: Graph, page_id: str, cursor: str, settings: dict[str, Any]) -> InboxPage:
    since = read_cursor(cursor)
    items = [*comments(graph, page_id), *tagged(graph, page_id)]
    granted = settings.get("granted_scopes")
    if granted is None or "pages_messaging" in granted:  # unknown (an older channel): try
        items.extend(messenger(graph, page_id, since))
    fresh = [item for item in items if since is None or item.created_at > since]
    fresh.sort(key=lambda item: item.created_at)
    newest = max([item.created_at for item in fresh], default=since)
    return InboxPage(
        items=fresh, cursor=json.dumps({"since": newest.isoformat()}) if newest else ""
    )


def comments(graph: Graph, page_id: str) -> list[InboxItem]:
    """Every comment and reply (``filter=stream``: flat, each with its ``parent``) on the
    Page's latest posts, newest first."""
    feed = graph.get(f"{page_id}/feed", fields="id", limit=POSTS_WATCHED)
    found: list[InboxItem] = []
    for post in feed.get("data") or []:
        if not isinstance(post, dict) or not post.get("id"):
            continue
        post_id = str(post["id"])
        answer = {
            "data": list(
                graph.pages(
                    f"{post_id}/comments",
                    fields=COMMENT_FIELDS,
                    filter="stream",
                    order="reverse_chronological",
                    max_pages=COMMENT_PAGES,
                )
            )
        }
        found.extend(comments_of(post_id, answer, page_id))
    return found


def comments_of(post_id: str, answer: dict[str, Any], page_id: str) -> list[InboxItem]:
    """The comments of one answer of ``/{post}/comments``, the Page's own left out."""
    found = []
    for comment in answer.get("data") or []:
        if not isinstance(comment, dict):
            continue
        if ((comment.get("from") or {}).get("id") or "") == page_id:
            continue
        item = mapping.item_from_comment(comment, post_id)
        if item is not None:
            found.append(item)
    return found


def tagged(graph: Graph, page_id: str) -> list[InboxItem]:
    answer = graph.get(f"{page_id}/tagged", fields=TAGGED_FIELDS, limit=25)
    return [
        item
        for post in answer.get("data") or []
        if isinstance(post, dict) and (item := mapping.item_from_tagged(post)) is not None
    ]


def messenger(graph: Graph, page_id: str, since: datetime | None) -> list[InboxItem]:
    """Messages of the conversations that moved since the last poll."""
    answer = graph.get(
        f"{page_id}/conversations", platform="messenger", fields="id,updated_time", limit=25
    )
    found: list[InboxItem] = []
    for conversation in conversations_of(answer):
        if since is not None and mapping.graph_time(conversation.get("updated_time")) <= since:
            continue
        messages = graph.get(f"{conversation['id']}/messages", fields=MESSAGE_FIELDS, limit=25)
        found.extend(messages_of(messages, page_id))
    return found


def conversations_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """``data`` of an edge, or the ``{id: object}`` map Graph returns for ``?ids=``."""
    data = answer.get("data") if "data" in answer else list(answer.values())
    return [entry for entry in data or [] if isinstance(entry, dict) and entry.get("id")]


def messages_of(answer: dict[str, Any], page_id: str) -> list[InboxItem]:
    return [
        item
        for message in conversations_of(answer)
        if (item := mapping.item_from_message(message, page_id)) is not None
    ]
