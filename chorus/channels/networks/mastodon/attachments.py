"""What a Mastodon status carries besides its text: media, a poll, a quoted post.

Read leniently: these are extras of a message someone else wrote, so a part with an odd shape is
left out rather than losing the whole message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from chorus.channels.base import Attachment, Poll, PollOption, QuotedPost
from chorus.channels.networks.mastodon.payload import parse_time
from chorus.channels.networks.mastodon.text import html_to_text

# Mastodon's attachment types; "unknown" is a remote file the server could not process.
MEDIA_KINDS = {"image": "image", "gifv": "gifv", "video": "video", "audio": "audio"}


def media_of(status: dict[str, Any]) -> tuple[Attachment, ...]:
    found = status.get("media_attachments")
    if not isinstance(found, list):
        return ()
    return tuple(_attachment(media) for media in found if isinstance(media, dict))


def _attachment(media: dict[str, Any]) -> Attachment:
    # ``url`` is the server's own copy; for a remote file it did not fetch, only ``remote_url``.
    url = _text(media.get("url")) or _text(media.get("remote_url"))
    return Attachment(
        kind=MEDIA_KINDS.get(_text(media.get("type")), "file"),
        url=url,
        alt_text=_text(media.get("description")),
        preview_url=_text(media.get("preview_url")),
    )


def poll_of(status: dict[str, Any]) -> Poll | None:
    poll = status.get("poll")
    if not isinstance(poll, dict) or not isinstance(poll.get("options"), list):
        return None
    options = tuple(
        PollOption(title=_text(option.get("title")), votes=_count(option.get("votes_count")))
        for option in poll["options"]
        if isinstance(option, dict)
    )
    return Poll(
        options=options,
        closes_at=time_or_none(poll.get("expires_at")),
        voters=_count(poll.get("voters_count")),
        closed=poll.get("expired") is True,
    )


def quote_of(status: dict[str, Any]) -> QuotedPost | None:
    """Mastodon 4.4+ sends a Quote (``state`` and ``quoted_status``, the status itself only once
    the quote is accepted); some servers put the quoted status there directly."""
    quote = status.get("quote")
    if not isinstance(quote, dict):
        return None
    quoted = quote.get("quoted_status") if "state" in quote else quote
    if not isinstance(quoted, dict):
        return None  # pending, refused or removed: nothing to show
    account = quoted.get("account")
    return QuotedPost(
        url=_text(quoted.get("url")) or _text(quoted.get("uri")),
        author=_text(account.get("acct")) if isinstance(account, dict) else "",
        text=html_to_text(_text(quoted.get("content"))),
    )


def addressed_to(status: dict[str, Any]) -> tuple[str, ...]:
    """Handles the status mentions, but not its author's own."""
    mentions = status.get("mentions")
    account = status.get("account")
    author = _text(account.get("acct")) if isinstance(account, dict) else ""
    if not isinstance(mentions, list):
        return ()
    handles = (_text(m.get("acct")) for m in mentions if isinstance(m, dict))
    return tuple(dict.fromkeys(h for h in handles if h and h != author))


def time_or_none(value: Any) -> datetime | None:
    try:
        return parse_time(value) if isinstance(value, str) and value else None
    except ValueError:
        return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
