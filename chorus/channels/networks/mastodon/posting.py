"""Building the body of a new Mastodon post from what the community manager wrote."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent

VISIBILITIES = ("public", "unlisted", "private", "direct")


def status_body(post: OutgoingPost, media_ids: list[str]) -> dict[str, Any]:
    """The JSON for POST /api/v1/statuses (Mastodon takes JSON as well as form fields)."""
    body: dict[str, Any] = {"status": post.text}
    if post.reply_to:
        body["in_reply_to_id"] = post.reply_to
    if media_ids:
        body["media_ids"] = media_ids
    if warning := str(post.options.get("content_warning") or "").strip():
        body["spoiler_text"] = warning
    if visibility := post.options.get("visibility"):
        body["visibility"] = checked_visibility(visibility)
    if poll := post.options.get("poll"):
        body["poll"] = poll_body(poll)
    if language := post.options.get("language"):
        body["language"] = str(language)
    if post.options.get("sensitive"):
        body["sensitive"] = True
    return body


def checked_visibility(value: object) -> str:
    if value not in VISIBILITIES:
        raise Permanent(
            f"Mastodon has no visibility {value!r}: choose public, unlisted, private "
            "(followers only) or direct (mentioned people only)."
        )
    return str(value)


def poll_body(poll: Any) -> dict[str, Any]:
    """Check the poll here so a person reads what is wrong rather than a server error."""
    try:
        options = [str(option) for option in poll["options"]]
        expires_in = int(poll.get("expires_in", 86400))
        multiple = bool(poll.get("multiple", False))
    except (KeyError, TypeError, ValueError, AttributeError):
        raise Permanent("The poll needs a list of choices and a duration in seconds.") from None
    if len(options) < 2:
        raise Permanent("A Mastodon poll needs at least two choices.")
    return {"options": options, "expires_in": expires_in, "multiple": multiple}


def addressed_to(handle: str, text: str) -> str:
    """Start a reply with the author's handle: Mastodon only shows it to the people it mentions."""
    return addressed_to_all([handle], text)


def addressed_to_all(handles: Iterable[str], text: str) -> str:
    """Start a reply with every handle the text does not mention yet, in the order given: in a
    group direct conversation each participant left out would never see the answer."""
    missing: list[str] = []
    for handle in dict.fromkeys(h.strip().lstrip("@") for h in handles if h.strip().lstrip("@")):
        # Mentioned already: the handle as a whole word (not the start of a longer one).
        found = re.search(rf"(?<![\w@])@{re.escape(handle)}(?![\w@.-]*\w)", text, re.IGNORECASE)
        if not found and handle.lower() not in {m.lower() for m in missing}:
            missing.append(handle)
    if not missing:
        return text
    return " ".join(f"@{handle}" for handle in missing) + f" {text}"


def participants(author: str, addressed: Iterable[str], own_handle: str) -> list[str]:
    """Who a reply to a direct message must name: its author and everyone else it addressed,
    never ourselves (Mastodon gives our own account by its local name, ``acct``)."""
    own = own_handle.strip().lstrip("@").lower()
    everyone = [author, *addressed]
    return [h for h in everyone if h and h.strip().lstrip("@").lower() != own]
