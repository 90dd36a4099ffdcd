"""Text clean-up shared by training and run time, so both see messages the same way."""

from __future__ import annotations

import re

# Exported tweets often carry literal "\u2019"-style escapes instead of the character itself.
_ESCAPED_CODEPOINT = re.compile(r"\\u([0-9a-fA-F]{4})")
_URL = re.compile(r"https?://\S+|www\.\S+|\bhttp\b", re.IGNORECASE)
_MENTION = re.compile(r"@\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


def decode_escapes(text: str) -> str:
    """Turn literal ``\\u00e9`` sequences into the characters they stand for."""
    if "\\u" not in text:
        return text
    return _ESCAPED_CODEPOINT.sub(lambda match: chr(int(match.group(1), 16)), text)


def words(text: str) -> list[str]:
    """Lower-cased alphabetic words (apostrophes and hyphens kept inside words)."""
    return _WORD.findall(text.lower())


def strip_links_and_handles(text: str) -> str:
    """The human part of a message, for language detection."""
    text = decode_escapes(text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return re.sub(r"#(\w+)", r"\1", text).strip()
