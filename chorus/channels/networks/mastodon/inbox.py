"""Turning Mastodon mentions and direct messages into inbox items.

Mentions come from notifications, direct messages from conversations; a direct message addressed
to us also shows up as a mention, so items are merged by the post's id. The inbox cursor keeps one
position per source, because the two are numbered independently.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from chorus.channels.base import InboxItem
from chorus.channels.networks.mastodon import attachments
from chorus.channels.networks.mastodon.payload import parse_time, reading, to_author
from chorus.channels.networks.mastodon.text import html_to_text


def read_cursor(cursor: str) -> dict[str, str]:
    """``"mentions=21&direct=1170…"`` -> positions per source; anything unreadable starts fresh."""
    return {key: value for key, value in parse_qsl(cursor) if key in {"mentions", "direct"}}


def write_cursor(positions: dict[str, str]) -> str:
    return urlencode({key: value for key, value in sorted(positions.items()) if value})


def newest_id(ids: list[str], current: str = "") -> str:
    """Mastodon ids are numbers in strings; compare them as numbers."""
    numeric = [i for i in [*ids, current] if i.isdigit()]
    return max(numeric, key=int) if numeric else current


def status_to_item(status: dict[str, Any], *, direct: bool = False) -> InboxItem:
    """One status someone else wrote, as the inbox sees it."""
    with reading("a message"):
        remote_id = str(status["id"])
        in_reply_to = str(status.get("in_reply_to_id") or "")
        if direct or status.get("visibility") == "direct":
            kind = "direct"
        else:
            kind = "reply" if in_reply_to else "mention"
        return InboxItem(
            remote_id=remote_id,
            kind=kind,
            # Mastodon names no thread root in a status: the post answered is the nearest one,
            # and a post that answers nothing starts its own thread.
            conversation_id=in_reply_to or remote_id,
            author=to_author(status["account"]),
            text=_readable_text(status),
            created_at=parse_time(str(status["created_at"])),
            in_reply_to=in_reply_to,
            url=str(status.get("url") or status.get("uri") or ""),
            media=attachments.media_of(status),
            poll=attachments.poll_of(status),
            quoted=attachments.quote_of(status),
            edited_at=attachments.time_or_none(status.get("edited_at")),
            content_warning=str(status.get("spoiler_text") or "").strip(),
            addressed_to=attachments.addressed_to(status),
        )


def _readable_text(status: dict[str, Any]) -> str:
    """The body, with the content warning kept in front so no one answers without seeing it."""
    body = html_to_text(str(status.get("content") or ""))
    warning = str(status.get("spoiler_text") or "").strip()  # plain text already, not HTML
    return f"[CW: {warning}]\n\n{body}" if warning else body


def mentions_from_notifications(notifications: Any) -> list[InboxItem]:
    with reading("notifications"):
        return [
            status_to_item(n["status"])
            for n in notifications
            if n.get("type") == "mention" and n.get("status")
        ]


def direct_messages_from_conversations(conversations: Any, own_account_id: str) -> list[InboxItem]:
    """The latest message of each conversation, unless we wrote it ourselves."""
    items = []
    with reading("direct messages"):
        for conversation in conversations:
            status = conversation.get("last_status")
            if status and str(status["account"]["id"]) != own_account_id:
                items.append(status_to_item(status, direct=True))
    return items


def merge_by_id(*groups: list[InboxItem]) -> list[InboxItem]:
    """One item per post, oldest first; a later group (conversations) wins on duplicates."""
    merged: dict[str, InboxItem] = {}
    for group in groups:
        for item in group:
            merged[item.remote_id] = item
    return sorted(merged.values(), key=lambda item: (item.created_at, item.remote_id))
