"""Who wrote: one Author per account and workspace, refreshed from their latest message.

Also the two cleaners every stored string from a network goes through.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from chorus.channels.base import InboxItem
from chorus.channels.models import Channel
from chorus.core.bulk_sql import upsert_many
from chorus.core.links import safe_url
from chorus.inbox.models import Author

# How a stored author takes the batch's news: a name or link the network left out keeps the one
# we had, the newest sighting wins, and counts add up in the database so two batches counting at
# once never lose each other's. Their Person link is never touched.
MERGED = {
    "handle": "COALESCE(NULLIF({new}, ''), {old})",
    "display_name": "COALESCE(NULLIF({new}, ''), {old})",
    "url": "COALESCE(NULLIF({new}, ''), {old})",
    "avatar_url": "COALESCE(NULLIF({new}, ''), {old})",
    "followers": "COALESCE({new}, {old})",
    "last_seen_at": "{greatest}({old}, {new})",
    "message_count": "{old} + {new}",
}
ACCOUNT = ["workspace", "network", "remote_id"]  # the unique constraint


def upsert_authors(channel: Channel, items: list[InboxItem], now: datetime) -> dict[str, Author]:
    """Authors of the batch by remote id: created if new, refreshed from their latest message,
    in one statement (insert or merge, the rows returned)."""
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
    batch = [
        _author(channel, key, latest[key], counts[key], first_seen[key]) for key in sorted(latest)
    ]
    return {author.remote_id: author for author in upsert_many(Author, batch, ACCOUNT, MERGED)}


def _author(
    channel: Channel, key: str, item: InboxItem, count: int, first_seen: datetime
) -> Author:
    """The author as this batch sees them: details from their latest message."""
    data = item.author
    return Author(
        workspace_id=channel.workspace_id,
        network=channel.network,
        remote_id=key,
        handle=clean_text(data.handle)[:300],
        display_name=clean_text(data.display_name)[:300],
        url=clean_link(data.url),
        avatar_url=clean_link(data.avatar_url),
        followers=None if data.followers is None else max(0, data.followers),
        first_seen_at=first_seen,
        last_seen_at=item.created_at,
        message_count=count,
    )


def clean_text(text: str) -> str:
    # PostgreSQL refuses NUL in text; networks have sent it.
    return (text or "").replace("\x00", "")


def clean_link(url: str) -> str:
    """Only web links are kept: a javascript: or data: link from a stranger is dropped."""
    url = safe_url(clean_text(url))
    return url if len(url) <= 500 else ""
