"""What came with a message's text, as stored in ``Message.extras`` (one JSON value).

Kept as plain JSON (lists and strings) rather than tables: it is only ever shown with its
message, and most messages carry none of it, so ingest writes nothing more for them (NULL).
Every address goes through :func:`clean_link` here and the ``safe_link`` filter again on the
page: a stranger's ``javascript:`` link is never stored as a link.
"""

from __future__ import annotations

from typing import Any

from chorus.channels.base import Attachment, InboxItem, Poll, QuotedPost
from chorus.inbox.ingest_authors import clean_link, clean_text

MAX_MEDIA = 20  # more than any network allows on one message; a flood is cut, not stored
MAX_TEXT = 2000  # alt text, poll options, quoted text: shown in a page, not searched


def extras_of(item: InboxItem) -> dict[str, Any] | None:
    """The JSON to store, or None when the item carries nothing besides its text."""
    extras: dict[str, Any] = {}
    if item.media:
        extras["media"] = [_attachment(media) for media in item.media[:MAX_MEDIA]]
    if item.poll is not None:
        extras["poll"] = _poll(item.poll)
    if item.quoted is not None:
        extras["quoted"] = _quoted(item.quoted)
    if item.edited_at is not None:
        extras["edited_at"] = item.edited_at.isoformat()
    if item.content_warning:
        extras["content_warning"] = _short(item.content_warning)
    if item.addressed_to:
        extras["addressed_to"] = [_short(handle)[:300] for handle in item.addressed_to[:50]]
    return extras or None


def _attachment(media: Attachment) -> dict[str, str]:
    return {
        "kind": _short(media.kind)[:20],
        "url": clean_link(media.url),
        "alt_text": _short(media.alt_text),
        "preview_url": clean_link(media.preview_url),
    }


def _poll(poll: Poll) -> dict[str, Any]:
    return {
        "options": [
            {"title": _short(option.title), "votes": option.votes} for option in poll.options[:50]
        ],
        "closes_at": poll.closes_at.isoformat() if poll.closes_at else None,
        "voters": poll.voters,
        "closed": poll.closed,
    }


def _quoted(quoted: QuotedPost) -> dict[str, str]:
    return {
        "url": clean_link(quoted.url),
        "author": _short(quoted.author)[:300],
        "text": _short(quoted.text),
    }


def _short(text: str) -> str:
    return clean_text(text)[:MAX_TEXT]
