"""Who wrote: one Author per account and workspace, refreshed from their latest message.

Also the two cleaners every stored string from a network goes through.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from chorus.channels.base import InboxItem
from chorus.channels.models import Channel
from chorus.inbox.ingest_sql import insert_many, update_many
from chorus.inbox.models import Author

REFRESHED = ["handle", "display_name", "url", "avatar_url", "followers", "last_seen_at"]


def upsert_authors(channel: Channel, items: list[InboxItem], now: datetime) -> dict[str, Author]:
    """Authors of the batch by remote id: created if new, refreshed from their latest message."""
    latest: dict[str, InboxItem] = {}
    counts: dict[str, int] = defaultdict(int)
    first_seen: dict[str, datetime] = {}
    for item in sorted(items, key=lambda i: i.created_at):
        key = item.author.remote_id or item.author.handle
        latest[key] = item
        counts[key] += 1
        first_seen.setdefault(key, item.created_at)
    if not latest:
        return {}
    found = _authors(channel, list(latest))
    missing = [
        Author(
            workspace_id=channel.workspace_id,
            network=channel.network,
            remote_id=key,
            first_seen_at=first_seen[key],
            last_seen_at=first_seen[key],
        )
        for key in latest
        if key not in found
    ]
    if missing:
        insert_many(Author, missing, skip_existing=True)
        found |= _authors(channel, [author.remote_id for author in missing])
    refreshed = [_refresh_author(found[key], item) for key, item in latest.items()]
    added = [counts[key] for key in latest]
    update_many(Author, refreshed, REFRESHED, increment=("message_count", added))
    for author, count in zip(refreshed, added, strict=True):
        author.message_count += count  # what the database now says, give or take a racing batch
    return found


def _authors(channel: Channel, keys: list[str]) -> dict[str, Author]:
    rows = Author.objects.filter(
        workspace_id=channel.workspace_id, network=channel.network, remote_id__in=keys
    )
    return {author.remote_id: author for author in rows}


def _refresh_author(author: Author, item: InboxItem) -> Author:
    data = item.author
    author.handle = clean_text(data.handle)[:300] or author.handle
    author.display_name = clean_text(data.display_name)[:300] or author.display_name
    author.url = clean_link(data.url) or author.url
    author.avatar_url = clean_link(data.avatar_url) or author.avatar_url
    if data.followers is not None:
        author.followers = max(0, data.followers)
    author.last_seen_at = max(author.last_seen_at, item.created_at)
    return author


def clean_text(text: str) -> str:
    # PostgreSQL refuses NUL in text; networks have sent it.
    return (text or "").replace("\x00", "")


def clean_link(url: str) -> str:
    """Only web links are kept: a javascript: or data: link from a stranger is dropped."""
    url = clean_text(url).strip()
    if len(url) > 500 or not url.lower().startswith(("https://", "http://")):
        return ""
    return url
