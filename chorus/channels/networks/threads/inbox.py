"""A Threads reply or mention as an :class:`InboxItem`, as plain functions (webhooks reuse them).

Identifiers (shared with the Meta webhooks): ``remote_id`` is the Graph id of the reply or of the
post that mentions; ``conversation_id`` is the Graph id of the thread's root post (our post, for
replies); ``in_reply_to`` is the reply it answers when it is not the root post itself. Threads
gives a reply's author as a username only (no id), so the username is the author's id.

Shapes follow Meta's reply-management and mentions documentation (no public recording exists).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chorus.channels.base import AccountInfo, Attachment, InboxItem
from chorus.channels.networks.threads.api import meta_time

REPLY_FIELDS = (
    "id,text,username,permalink,timestamp,media_type,media_url,root_post,replied_to,"
    "is_reply,is_reply_owned_by_me,hide_status"
)
PROFILE_URL = "https://www.threads.net/@{username}"


def author_of(obj: dict[str, Any]) -> AccountInfo:
    username = str(obj.get("username") or "")
    return AccountInfo(
        remote_id=username,
        handle=username,
        display_name=username,
        url=PROFILE_URL.format(username=username) if username else "",
    )


def _id_of(value: Any) -> str:
    return str(value.get("id") or "") if isinstance(value, dict) else ""


def _media(obj: dict[str, Any]) -> tuple[Attachment, ...]:
    url = obj.get("media_url")
    if not isinstance(url, str) or not url:
        return ()
    kind = "video" if obj.get("media_type") == "VIDEO" else "image"
    return (Attachment(kind=kind, url=url),)


def item_from_reply(obj: dict[str, Any]) -> InboxItem | None:
    """A reply in one of our threads; None when it is unreadable or our own."""
    created_at = meta_time(obj.get("timestamp"))
    if not obj.get("id") or created_at is None or obj.get("is_reply_owned_by_me") is True:
        return None
    root = _id_of(obj.get("root_post"))
    parent = _id_of(obj.get("replied_to"))
    in_reply_to = parent if parent and parent != root else ""
    return InboxItem(
        remote_id=str(obj["id"]),
        kind="reply" if in_reply_to else "comment",
        conversation_id=root or parent or str(obj["id"]),
        author=author_of(obj),
        text=str(obj.get("text") or ""),
        created_at=created_at,
        in_reply_to=in_reply_to,
        url=str(obj.get("permalink") or ""),
        media=_media(obj),
    )


def item_from_mention(obj: dict[str, Any]) -> InboxItem | None:
    """A public post (or reply) that tags the profile."""
    created_at = meta_time(obj.get("timestamp"))
    if not obj.get("id") or created_at is None:
        return None
    root = _id_of(obj.get("root_post")) if obj.get("is_reply") else ""
    return InboxItem(
        remote_id=str(obj["id"]),
        kind="mention",
        conversation_id=root or str(obj["id"]),
        author=author_of(obj),
        text=str(obj.get("text") or ""),
        created_at=created_at,
        in_reply_to=_id_of(obj.get("replied_to")) if obj.get("is_reply") else "",
        url=str(obj.get("permalink") or ""),
        media=_media(obj),
    )


def read_cursor(cursor: str) -> datetime | None:
    """The time of the newest message already taken (the cursor is ``{"since": ISO time}``)."""
    try:
        since = json.loads(cursor).get("since") if cursor else None
    except (ValueError, AttributeError):
        return None
    return meta_time(since)


def write_cursor(items: list[InboxItem], since: datetime | None) -> str:
    newest = max([item.created_at for item in items], default=since)
    return json.dumps({"since": newest.isoformat()}) if newest else ""
