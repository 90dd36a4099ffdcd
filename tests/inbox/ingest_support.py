"""Small builders shared by the ingest tests: channels and inbox items as networks give them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chorus.channels.base import Author, InboxItem
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
ME = Author(remote_id="me-1", handle="brand", display_name="The Brand")


def make_channel(
    workspace: Workspace, network: str = "mastodon", remote_id: str = "me-1", **extra: Any
) -> Channel:
    fields: dict[str, Any] = {"name": "Brand", "handle": "brand", **extra}
    return Channel.objects.create(
        workspace=workspace, network=network, remote_id=remote_id, **fields
    )


def person(n: int, followers: int | None = 10) -> Author:
    return Author(
        remote_id=f"user-{n}",
        handle=f"user{n}",
        display_name=f"User {n}",
        url=f"https://social.example/@user{n}",
        followers=followers,
    )


def item(
    remote_id: str,
    text: str = "Hello, where is my order?",
    *,
    thread: str = "thread-1",
    author: Author | None = None,
    minutes: int = 0,
    kind: str = "comment",
    in_reply_to: str = "",
) -> InboxItem:
    return InboxItem(
        remote_id=remote_id,
        kind=kind,
        conversation_id=thread,
        author=author or person(1),
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        in_reply_to=in_reply_to,
        url=f"https://social.example/@user1/{remote_id}",
    )
