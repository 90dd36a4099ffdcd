"""What one entry of a Meta webhook delivery says, as inbox items and news.

Ids follow the contract polling keeps (see the Facebook and Instagram ``inbox`` modules):
a comment is ``remote_id`` = the Graph comment id, ``conversation_id`` = the post (media) it is
on, ``in_reply_to`` = the comment it answers; a direct message is ``remote_id`` = its ``mid``,
``conversation_id`` = ``"dm:"`` + the other person's scoped id (PSID or IGSID).

Shapes, from Meta's webhook reference: a Page's ``changes`` (field ``feed``: ``item`` comment,
post, status…, ``verb`` add, edited, remove, hide, unhide), an Instagram account's ``changes``
(fields ``comments``, ``live_comments``, ``mentions``) and, for both, ``messaging`` events.
Anything else in a delivery (reactions, reads, story insights) is not inbox material and is
left out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import AccountInfo, Attachment, InboxItem, WebhookNews
from chorus.channels.networks.facebook import inbox as facebook_inbox
from chorus.channels.networks.instagram import inbox as instagram_inbox

PAGE_ITEMS = ("comment", "post", "status", "photo", "video", "share")
INSTAGRAM_COMMENT_FIELDS = ("comments", "live_comments")


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def changes_of(entry: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The values of the entry's changes to ``field``."""
    return [
        as_dict(change.get("value"))
        for change in entry.get("changes") or []
        if isinstance(change, dict) and change.get("field") == field
    ]


def items_of(webhook_object: str, entry: dict[str, Any]) -> list[InboxItem]:
    account = str(entry["id"])
    found: list[InboxItem] = []
    if webhook_object == "page":
        found += [item for value in changes_of(entry, "feed") if (item := page_item(value))]
    else:
        for field in INSTAGRAM_COMMENT_FIELDS:
            found += [item for value in changes_of(entry, field) if (item := instagram_item(value))]
    found += [item for event in messaging(entry) if (item := direct_message(event, account))]
    return found


def news_of(webhook_object: str, entry: dict[str, Any]) -> WebhookNews:
    deleted, hidden, shown = [], [], []
    if webhook_object == "page":
        for value in changes_of(entry, "feed"):
            target = _feed_target(value)
            verb = value.get("verb")
            if target and verb == "remove":
                deleted.append(target)
            elif target and verb == "hide":
                hidden.append(target)
            elif target and verb == "unhide":
                shown.append(target)
    # An unsent Instagram direct message (``is_deleted``) is removed there too.
    deleted += [
        str(as_dict(event.get("message")).get("mid"))
        for event in messaging(entry)
        if as_dict(event.get("message")).get("is_deleted") and as_dict(event["message"]).get("mid")
    ]
    mentions = tuple(
        (str(value.get("comment_id") or ""), str(value.get("media_id") or ""))
        for value in (changes_of(entry, "mentions") if webhook_object == "instagram" else [])
        if value.get("comment_id") or value.get("media_id")
    )
    return WebhookNews(tuple(deleted), tuple(hidden), tuple(shown), mentions)


def merged(first: WebhookNews | None, second: WebhookNews) -> WebhookNews:
    if first is None:
        return second
    return WebhookNews(
        first.deleted + second.deleted,
        first.hidden + second.hidden,
        first.shown + second.shown,
        first.mentions + second.mentions,
    )


# -- a Page ---------------------------------------------------------------------------------------


def _feed_target(value: dict[str, Any]) -> str:
    """The Graph id the change is about: the comment, or the post."""
    if value.get("item") == "comment":
        return str(value.get("comment_id") or "")
    return str(value.get("post_id") or "")


def page_item(value: dict[str, Any]) -> InboxItem | None:
    """A new (or edited) comment or reply on the Page's posts, or a visitor's post on the Page
    (a mention: someone wrote to the Page where all can see it). Comments go through the
    Facebook package's own mapping, from a Graph-shaped comment, so ids agree with polling."""
    if value.get("verb") not in ("add", "edited") or value.get("item") not in PAGE_ITEMS:
        return None
    post_id = str(value.get("post_id") or "")
    created = from_seconds(value.get("created_time"))
    edited = created if value.get("verb") == "edited" else None
    if value.get("item") == "comment":
        parent = str(value.get("parent_id") or "")
        comment = {
            "id": str(value.get("comment_id") or ""),
            "from": value.get("from"),
            "message": value.get("message"),
            "created_time": created.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        }
        if not comment["id"] or not post_id:
            return None
        answers = parent if parent and parent != post_id else ""
        item = facebook_inbox.item_from_comment(comment, post_id, parent=answers)
        return replace(item, media=photo_of(value), edited_at=edited) if item else None
    author = facebook_inbox.author_of(value.get("from"))
    if not post_id or not author.remote_id or post_id.startswith(f"{author.remote_id}_"):
        return None  # the Page's own post: published by Chorus or on Facebook, not inbox news
    return InboxItem(
        remote_id=post_id,
        kind="mention",
        conversation_id=post_id,
        author=author,
        text=str(value.get("message") or ""),
        created_at=created,
        media=photo_of(value),
        edited_at=edited,
    )


def photo_of(value: dict[str, Any]) -> tuple[Attachment, ...]:
    if value.get("photo"):
        return (Attachment(kind="image", url=str(value["photo"])),)
    if value.get("video"):
        return (Attachment(kind="video", url=str(value["video"])),)
    return ()


# -- an Instagram account -------------------------------------------------------------------------


def instagram_item(value: dict[str, Any]) -> InboxItem | None:
    """A comment (or live comment) on the account's media, mapped as polling maps it."""
    media_id = str(as_dict(value.get("media")).get("id") or "")
    if not value.get("id") or not media_id:
        return None
    return instagram_inbox.item_from_comment(value, media_id)


# -- direct messages (Messenger and Instagram) ---------------------------------------------------


def messaging(entry: dict[str, Any]) -> list[dict[str, Any]]:
    return [event for event in entry.get("messaging") or [] if isinstance(event, dict)]


def direct_message(event: dict[str, Any], account: str) -> InboxItem | None:
    """A message someone sent the account in private. The account's own (``is_echo``) are
    left out, as polling leaves them out: they are the team's answers, stored when sent."""
    message = as_dict(event.get("message"))
    mid = str(message.get("mid") or "")
    sender = str(as_dict(event.get("sender")).get("id") or "")
    if not mid or not sender or sender == account:
        return None
    if message.get("is_echo") or message.get("is_deleted"):
        return None
    return InboxItem(
        remote_id=mid,
        kind="direct",
        conversation_id=f"dm:{sender}",
        author=AccountInfo(remote_id=sender, handle=sender),
        text=str(message.get("text") or ""),
        created_at=from_millis(event.get("timestamp")),
        in_reply_to=str(as_dict(message.get("reply_to")).get("mid") or ""),
        media=attachments_of(message),
    )


def attachments_of(message: dict[str, Any]) -> tuple[Attachment, ...]:
    kinds = {"image": "image", "video": "video", "audio": "audio", "file": "file"}
    found = []
    for attachment in message.get("attachments") or []:
        if not isinstance(attachment, dict):
            continue
        url = str(as_dict(attachment.get("payload")).get("url") or "")
        kind = kinds.get(str(attachment.get("type") or ""), "file")
        if url:
            found.append(Attachment(kind=kind, url=url))
    return tuple(found)


# -- time ----------------------------------------------------------------------------------------


def from_seconds(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)


def from_millis(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)
