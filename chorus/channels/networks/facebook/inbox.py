"""Graph objects (comments, tagged posts, Messenger messages) as inbox items.

Plain functions over Graph JSON, shared by polling (:mod:`.network`) and by the webhook
reception of the Meta app, so both name a message the same way:

- a comment: ``remote_id`` = its Graph id, ``conversation_id`` = the Graph id of the post it is
  on, ``in_reply_to`` = the parent comment's id for a reply;
- a mention: ``remote_id`` = the Graph id of the post that tags the Page;
- a Messenger message: ``remote_id`` = its ``mid``, ``conversation_id`` = ``"dm:" + PSID`` (the
  person's Page-scoped id).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from chorus.channels.base import Attachment, Author, InboxItem

UNKNOWN_AUTHOR = Author(remote_id="", handle="")


def graph_time(value: Any) -> datetime:
    """Graph's ``2021-08-10T18:45:03+0000``; now when it is missing or unreadable."""
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z").astimezone(UTC)
    except ValueError:
        return datetime.now(UTC)


def author_of(person: Any) -> Author:
    """``from`` as Graph gives it; absent when the person's privacy hides them from the Page
    (Graph leaves ``from`` out for people who have not granted the app anything)."""
    if not isinstance(person, dict) or not person.get("id"):
        return UNKNOWN_AUTHOR
    name = str(person.get("name") or person["id"])
    return Author(remote_id=str(person["id"]), handle=name, display_name=name)


def comment_id(comment: dict[str, Any], post_id: str) -> str:
    """The comment's Graph id; when a caller asked without ``id``, read from its permalink
    (``comment_id`` / ``reply_comment_id``), as ``{post}_{comment}`` like Graph names it."""
    if comment.get("id"):
        return str(comment["id"])
    post, own, _parent = _permalink_ids(comment, post_id)
    return f"{post}_{own}" if own else ""


def _permalink_ids(comment: dict[str, Any], post_id: str) -> tuple[str, str, str]:
    """(post, comment, parent comment) as a comment's permalink names them."""
    parts = urlsplit(str(comment.get("permalink_url") or ""))
    query = parse_qs(parts.query)
    found = re.search(r"/posts/(\d+)", parts.path)
    post = found.group(1) if found else post_id.rpartition("_")[2]
    top = (query.get("comment_id") or [""])[0]
    reply = (query.get("reply_comment_id") or [""])[0]
    return (post, reply, top) if reply else (post, top, "")


def parent_id(comment: dict[str, Any], post_id: str) -> str:
    """The comment a reply answers: ``parent{id}`` when asked for, else from the permalink."""
    parent = _object(comment.get("parent"))
    if parent.get("id"):
        return str(parent["id"])
    post, _own, top = _permalink_ids(comment, post_id)
    return f"{post}_{top}" if top else ""


def item_from_comment(comment: dict[str, Any], post_id: str, parent: str = "") -> InboxItem | None:
    """A comment on the Page's post ``post_id`` (a reply when ``parent_id``); None when it has
    no id to store it by."""
    remote_id = comment_id(comment, post_id)
    if not remote_id:
        return None
    in_reply_to = parent or parent_id(comment, post_id)
    return InboxItem(
        remote_id=remote_id,
        kind="reply" if in_reply_to else "comment",
        conversation_id=post_id,
        author=author_of(comment.get("from")),
        text=str(comment.get("message") or ""),
        created_at=graph_time(comment.get("created_time")),
        in_reply_to=in_reply_to,
        url=str(comment.get("permalink_url") or ""),
        media=_comment_media(comment.get("attachment")),
        hidden=is_hidden(comment),
    )


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def is_hidden(comment: dict[str, Any]) -> bool:
    return bool(comment.get("is_hidden"))


def _comment_media(attachment: Any) -> tuple[Attachment, ...]:
    if not isinstance(attachment, dict):
        return ()
    image = ((attachment.get("media") or {}).get("image") or {}).get("src") or ""
    url = str(attachment.get("url") or image)
    kind = (
        "image"
        if attachment.get("type") in {"photo", "sticker", "animated_image_share"}
        else "link"
    )
    return (Attachment(kind=kind, url=url, preview_url=str(image)),) if url else ()


def item_from_tagged(post: dict[str, Any]) -> InboxItem | None:
    """A post elsewhere on Facebook that tags the Page (``/{page}/tagged``)."""
    if not post.get("id"):
        return None
    remote_id = str(post["id"])
    return InboxItem(
        remote_id=remote_id,
        kind="mention",
        conversation_id=remote_id,
        author=author_of(post.get("from")),
        text=str(post.get("message") or ""),
        created_at=graph_time(post.get("created_time")),
        url=str(post.get("permalink_url") or ""),
    )


def item_from_message(message: dict[str, Any], page_id: str) -> InboxItem | None:
    """A Messenger message; None for the Page's own (they are our answers, stored already)."""
    sender = _object(message.get("from"))
    if not message.get("id") or not sender.get("id") or str(sender["id"]) == page_id:
        return None
    return InboxItem(
        remote_id=str(message["id"]),
        kind="direct",
        conversation_id=f"dm:{sender['id']}",
        author=author_of(sender),
        text=str(message.get("message") or ""),
        created_at=graph_time(message.get("created_time")),
        media=_message_media(message.get("attachments")),
    )


def _message_media(attachments: Any) -> tuple[Attachment, ...]:
    found: list[Attachment] = []
    for attachment in (
        (attachments or {}).get("data") or [] if isinstance(attachments, dict) else []
    ):
        image = attachment.get("image_data") if isinstance(attachment, dict) else None
        if isinstance(image, dict) and image.get("url"):
            found.append(
                Attachment(
                    kind="image",
                    url=str(image["url"]),
                    alt_text=str(attachment.get("name") or ""),
                    preview_url=str(image.get("preview_url") or ""),
                )
            )
        elif isinstance(attachment, dict) and attachment.get("file_url"):
            found.append(Attachment(kind="file", url=str(attachment["file_url"])))
    return tuple(found)
