"""Rich text for Bluesky: links, mentions and hashtags become facets.

Bluesky does not parse the text of a post: a link, a mention or a hashtag is only clickable if the
record carries a facet pointing at it, by UTF-8 byte offsets (not characters: "é" is 2 bytes, "☕"
is 3). The patterns follow the official client (bluesky-social/atproto, packages/api/src/rich-text)
so that what a community manager sees in Chorus matches what the Bluesky app would have linked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import regex

FACET_TYPE = "app.bsky.richtext.facet"

# A mention starts the text or follows a space or "("; the handle is a domain name.
MENTION_RE = regex.compile(
    r"(?:^|\s|\()@("
    r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r")\b"
)
LINK_RE = regex.compile(r"(?:^|\s|\()(https?://\S+)", regex.IGNORECASE)
# Characters that never belong to a tag: spaces and invisible joiners.
_NOT_TAG = r"\s\u00AD\u2060\u200A\u200B\u200C\u200D\u20e2"
# A tag needs at least one character that is neither a digit nor punctuation: "#123" is a number.
TAG_RE = regex.compile(
    rf"(?:^|\s)[#＃]((?!\ufe0f)[^{_NOT_TAG}]*[^\d\p{{P}}{_NOT_TAG}]+[^{_NOT_TAG}]*)"
)
TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
MAX_TAG_GRAPHEMES = 64

HandleResolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Span:
    """A piece of the text, by Python string index, and what it points to."""

    start: int
    end: int
    feature: dict[str, Any]


def byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def find_links(text: str) -> list[Span]:
    spans = []
    for match in LINK_RE.finditer(text):
        uri = _trim_link(match.group(1))
        start = match.start(1)
        spans.append(Span(start, start + len(uri), {"$type": f"{FACET_TYPE}#link", "uri": uri}))
    return spans


def _trim_link(uri: str) -> str:
    """A sentence's full stop or closing bracket is not part of the link it ends with."""
    uri = uri.rstrip(".,;:!?\"'")
    if uri.endswith(")") and "(" not in uri:
        uri = uri[:-1]
    return uri


def find_mentions(text: str, resolve: HandleResolver) -> list[Span]:
    """Mentions of handles that resolve to an account; the others stay plain text."""
    spans = []
    dids: dict[str, str | None] = {}
    for match in MENTION_RE.finditer(text):
        handle = match.group(1).lower()
        if handle not in dids:
            dids[handle] = resolve(handle)
        did = dids[handle]
        if did:
            feature = {"$type": f"{FACET_TYPE}#mention", "did": did}
            spans.append(Span(match.start(1) - 1, match.end(1), feature))
    return spans


def find_tags(text: str) -> list[Span]:
    spans = []
    for match in TAG_RE.finditer(text):
        tag = TRAILING_PUNCTUATION.sub("", match.group(1))
        if not tag or len(regex.findall(r"\X", tag)) > MAX_TAG_GRAPHEMES:
            continue
        start = match.start(1) - 1  # include the "#"
        spans.append(
            Span(start, match.start(1) + len(tag), {"$type": f"{FACET_TYPE}#tag", "tag": tag})
        )
    return spans


def find_facets(text: str, resolve: HandleResolver) -> list[dict[str, Any]]:
    """Every facet of ``text``, ordered by position, as ``app.bsky.richtext.facet`` objects."""
    spans = find_links(text) + find_mentions(text, resolve) + find_tags(text)
    spans = _without_overlaps(sorted(spans, key=lambda span: span.start))
    return [
        {
            "$type": FACET_TYPE,
            "index": {"byteStart": byte_offset(text, s.start), "byteEnd": byte_offset(text, s.end)},
            "features": [s.feature],
        }
        for s in spans
    ]


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """A "#tag" inside a link's fragment is part of the link, not a second facet."""
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept
