"""What a Telegram message carries besides its text: a picture, video, file, sound or a poll.

Telegram gives files by id only; downloading one means an address holding the bot's token, which
must never be stored nor shown. So media are kept by kind and name, with no address: the message's
own link (public chats) opens them in Telegram.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chorus.channels.base import Attachment, Poll, PollOption

# Message fields holding a file, and what the inbox calls each (Bot API "Message" object).
MEDIA_FIELDS = {
    "photo": "image",
    "sticker": "image",
    "animation": "gifv",
    "video": "video",
    "video_note": "video",
    "audio": "audio",
    "voice": "audio",
    "document": "file",
}


def media_of(message: dict[str, Any]) -> tuple[Attachment, ...]:
    for field, kind in MEDIA_FIELDS.items():
        found = message.get(field)
        if isinstance(found, list) and found:  # photo: the sizes of one picture
            return (Attachment(kind=kind),)
        if isinstance(found, dict):
            return (Attachment(kind=kind, alt_text=_name(found)),)
    return ()


def _name(file: dict[str, Any]) -> str:
    """A document's or song's file name, a sticker's emoji: the only words that come with it."""
    for key in ("file_name", "title", "emoji"):
        if isinstance(file.get(key), str) and file[key]:
            return str(file[key])
    return ""


def poll_of(message: dict[str, Any]) -> tuple[str, Poll | None]:
    """The question (the message's text) and the poll, or ("", None)."""
    poll = message.get("poll")
    if not isinstance(poll, dict) or not isinstance(poll.get("options"), list):
        return "", None
    options = tuple(
        PollOption(title=str(option.get("text") or ""), votes=_count(option.get("voter_count")))
        for option in poll["options"]
        if isinstance(option, dict)
    )
    closes = poll.get("close_date")
    return str(poll.get("question") or ""), Poll(
        options=options,
        closes_at=datetime.fromtimestamp(closes, tz=UTC) if isinstance(closes, int) else None,
        voters=_count(poll.get("total_voter_count")),
        closed=poll.get("is_closed") is True,
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
