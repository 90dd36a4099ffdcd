"""From Instagram's Graph objects to inbox items, as plain functions.

Polling (here) and Meta's webhooks (``chorus/channels/networks/metahooks``) name things the
same way, so a comment heard both ways is stored once:

- a comment: ``remote_id`` = the comment's id, ``conversation_id`` = the media's id;
- a reply: the same, with ``in_reply_to`` = the comment it answers;
- a mention: ``remote_id`` = the id of the comment or media that mentions the account,
  ``conversation_id`` = the media it is on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import AccountInfo, Attachment, InboxItem

PROFILE = "https://www.instagram.com/{}/"


def when(value: Any) -> datetime:
    """Graph timestamps look like ``2021-08-19T09:14:16+0000``."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:
        return datetime.now(UTC)


def as_dict(value: Any) -> dict[str, Any]:
    """A Graph object, or an empty one where Meta gave something else."""
    return value if isinstance(value, dict) else {}


def author_of(obj: dict[str, Any]) -> AccountInfo:
    """The commenter: ``from`` (id and username) when Meta gives it, else the username alone."""
    source = as_dict(obj.get("from"))
    username = str(source.get("username") or obj.get("username") or "")
    remote_id = str(source.get("id") or username or "unknown")
    return AccountInfo(
        remote_id=remote_id,
        handle=username or remote_id,
        url=PROFILE.format(username) if username else "",
    )


def item_from_comment(
    obj: dict[str, Any], media_id: str, *, parent_id: str = "", permalink: str = ""
) -> InboxItem:
    """A comment on the account's media, or a reply (``parent_id``) to one of its comments."""
    parent = parent_id or str(obj.get("parent_id") or "")
    return InboxItem(
        remote_id=str(obj["id"]),
        kind="reply" if parent else "comment",
        conversation_id=media_id,
        author=author_of(obj),
        text=str(obj.get("text") or ""),
        created_at=when(obj.get("timestamp")),
        in_reply_to=parent,
        url=permalink,
    )


def items_from_comments(
    comments: list[dict[str, Any]], media_id: str, permalink: str = ""
) -> list[InboxItem]:
    """Comments with their replies (the ``replies{…}`` field expanded on each comment)."""
    found: list[InboxItem] = []
    for comment in comments:
        if not comment.get("id"):
            continue
        found.append(item_from_comment(comment, media_id, permalink=permalink))
        replies = as_dict(comment.get("replies"))
        for reply in replies.get("data") or []:
            if isinstance(reply, dict) and reply.get("id"):
                found.append(
                    item_from_comment(
                        reply, media_id, parent_id=str(comment["id"]), permalink=permalink
                    )
                )
    return found


def item_from_mentioned_comment(obj: dict[str, Any], media_id: str = "") -> InboxItem:
    """``GET /{ig-user}?fields=mentioned_comment.comment_id(…){…}``: a comment naming us."""
    comment = as_dict(obj.get("mentioned_comment")) or obj
    media = as_dict(comment.get("media"))
    on_media = media_id or str(media.get("id") or "")
    return InboxItem(
        remote_id=str(comment["id"]),
        kind="mention",
        conversation_id=on_media or str(comment["id"]),
        author=author_of(comment),
        text=str(comment.get("text") or ""),
        created_at=when(comment.get("timestamp")),
        url=str(media.get("permalink") or ""),
    )


def item_from_mentioned_media(obj: dict[str, Any]) -> InboxItem:
    """A post whose caption names us (``mentioned_media``), or one we are tagged in (``tags``)."""
    media = as_dict(obj.get("mentioned_media")) or obj
    return InboxItem(
        remote_id=str(media["id"]),
        kind="mention",
        conversation_id=str(media["id"]),
        author=author_of(media),
        text=str(media.get("caption") or ""),
        created_at=when(media.get("timestamp")),
        url=str(media.get("permalink") or ""),
        media=attachments_of(media),
    )


def attachments_of(media: dict[str, Any]) -> tuple[Attachment, ...]:
    kind = str(media.get("media_type") or "")
    url = str(media.get("permalink") or media.get("media_url") or "")
    preview = str(media.get("thumbnail_url") or media.get("media_url") or "")
    if kind == "VIDEO":
        return (Attachment(kind="video", url=url, preview_url=preview),)
    if kind in ("IMAGE", "CAROUSEL_ALBUM"):
        return (Attachment(kind="image", url=url, preview_url=preview),)
    return ()
