"""An Instagram caption counted as Instagram counts it.

Meta's content publishing rules: at most 2,200 characters, 30 hashtags and 20 @mentions. A
caption over any of them is refused when the container is made, so the composer says it first.
"""

from __future__ import annotations

import regex

MAX_CAPTION = 2200
MAX_HASHTAGS = 30
MAX_MENTIONS = 20

# A hashtag starts after a space or the start of the text and runs over letters, marks, digits
# and underscores in any script (#café, #東京); "a#b" or "&#39;" are not hashtags.
HASHTAG = regex.compile(r"(?<![\p{L}\p{N}_&])#[\p{L}\p{M}\p{N}_]+")
# Instagram usernames: letters, digits, dots and underscores, at most 30; "name@example.com"
# is an address, not a mention.
MENTION = regex.compile(r"(?<![\p{L}\p{N}_.])@[A-Za-z0-9._]{1,30}")


def hashtags(caption: str) -> list[str]:
    """Every hashtag, repeats included: Instagram counts each one it links."""
    return [tag for tag in HASHTAG.findall(caption) if not tag[1:].isdigit()]


def mentions(caption: str) -> list[str]:
    return [name.rstrip(".") for name in MENTION.findall(caption)]


def caption_length(caption: str) -> int:
    """UTF-16 code units, as Instagram's apps and the Graph API count (an emoji may be two):
    counting code points would let through a caption Meta refuses."""
    return len(caption.encode("utf-16-le")) // 2


def over_limits(caption: str) -> list[tuple[str, int, int]]:
    """``(what, used, limit)`` for each of Instagram's caption limits the caption passes."""
    found = [
        ("hashtags", len(hashtags(caption)), MAX_HASHTAGS),
        ("mentions", len(mentions(caption)), MAX_MENTIONS),
    ]
    return [(what, used, limit) for what, used, limit in found if used > limit]
