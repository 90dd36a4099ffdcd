"""What a post record embeds (``app.bsky.embed.*``): pictures with their alt text, a video, a link
card, a quoted post, or pictures with a quote (``recordWithMedia``); and the whole addresses of
the links its text shows shortened (link facets).

A notification carries the raw record, whose pictures are blob references, not addresses. The
AppView serves every blob of a post at ``cdn.bsky.app/img/<size>/plain/<did>/<cid>@jpeg``: the
``thumb`` and ``fullsize`` of recorded ``#view`` answers (getPostThread in
../shared/fixtures/bluesky) are exactly that, so the same addresses are built here from the
author's DID and the blob's CID.
"""

from __future__ import annotations

from typing import Any

from chorus.channels.base import Attachment, QuotedPost
from chorus.channels.errors import Permanent

from .records import POST, AtUri, post_url

CDN = "https://cdn.bsky.app/img"
IMAGES = "app.bsky.embed.images"
VIDEO = "app.bsky.embed.video"
EXTERNAL = "app.bsky.embed.external"
RECORD = "app.bsky.embed.record"
RECORD_WITH_MEDIA = "app.bsky.embed.recordWithMedia"


def media_of(record: dict[str, Any], did: str) -> tuple[Attachment, ...]:
    embed = _dict(record.get("embed"))
    if embed.get("$type") == RECORD_WITH_MEDIA:
        embed = _dict(embed.get("media"))
    kind = embed.get("$type")
    if kind == IMAGES:
        images = embed.get("images")
        return tuple(_image(image, did) for image in _dicts(images))
    if kind == VIDEO:
        return (Attachment(kind="video", alt_text=_text(embed.get("alt"))),)
    if kind == EXTERNAL:
        return (_link_card(_dict(embed.get("external")), did),)
    return ()


def _image(image: dict[str, Any], did: str) -> Attachment:
    cid = blob_cid(image.get("image"))
    return Attachment(
        kind="image",
        url=f"{CDN}/feed_fullsize/plain/{did}/{cid}@jpeg" if cid else "",
        alt_text=_text(image.get("alt")),
        preview_url=f"{CDN}/feed_thumbnail/plain/{did}/{cid}@jpeg" if cid else "",
    )


def _link_card(external: dict[str, Any], did: str) -> Attachment:
    cid = blob_cid(external.get("thumb"))
    return Attachment(
        kind="link",
        url=_text(external.get("uri")),
        alt_text=_text(external.get("title")),
        preview_url=f"{CDN}/feed_thumbnail/plain/{did}/{cid}@jpeg" if cid else "",
    )


def blob_cid(blob: Any) -> str:
    """The CID of a blob: ``ref.$link``, or ``cid`` in the legacy blob shape."""
    blob = _dict(blob)
    cid = _dict(blob.get("ref")).get("$link") or blob.get("cid")
    # A CID is base32 letters and digits; anything else must not end up in an address.
    return cid if isinstance(cid, str) and cid.isalnum() else ""


def quote_of(record: dict[str, Any]) -> QuotedPost | None:
    """The quoted post's address and author (its DID): the record names it, nothing more."""
    embed = _dict(record.get("embed"))
    if embed.get("$type") == RECORD_WITH_MEDIA:
        embed = _dict(embed.get("record"))
    if embed.get("$type") != RECORD:
        return None
    uri = _text(_dict(embed.get("record")).get("uri"))
    try:
        quoted = AtUri.parse(uri)
    except Permanent:
        return None
    if quoted.collection != POST:
        return None  # a quoted feed, list or starter pack: not a post
    return QuotedPost(url=post_url(quoted.repo, uri), author=quoted.repo)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


LINK_FEATURE = "app.bsky.richtext.facet#link"


def text_with_link_addresses(record: dict[str, Any]) -> str:
    """The post's text, each link the app shortened (``bsky.app/profile/…``, or words) given with
    its whole address, which only the link facet holds (offsets in UTF-8 bytes)."""
    text = _text(record.get("text"))
    data = text.encode()
    pieces, position = [], 0
    for start, end, uri in sorted(_links(record.get("facets"), len(data))):
        if start < position:
            continue  # overlapping facets: the first one wins
        shown = data[start:end].decode(errors="replace")
        pieces += [data[position:start].decode(errors="replace"), _link_text(shown, uri)]
        position = end
    if not pieces:
        return text
    return "".join(pieces) + data[position:].decode(errors="replace")


def _links(facets: Any, size: int) -> list[tuple[int, int, str]]:
    found = []
    for facet in _dicts(facets):
        index = _dict(facet.get("index"))
        start, end = index.get("byteStart"), index.get("byteEnd")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= size:
            continue
        for feature in _dicts(facet.get("features")):
            uri = _text(feature.get("uri"))
            if feature.get("$type") == LINK_FEATURE and uri.lower().startswith(
                ("https://", "http://")
            ):
                found.append((start, end, uri))
                break
    return found


def _link_text(shown: str, uri: str) -> str:
    """The whole address for a shortened one, the words and the address for words."""
    bare_shown = shown.strip().rstrip("…").removesuffix("...").lower()
    bare_uri = uri.lower().split("://", 1)[-1].removeprefix("www.")
    bare_shown = bare_shown.split("://", 1)[-1].removeprefix("www.")
    if not bare_shown or bare_uri.startswith(bare_shown):
        return uri
    return f"{shown} ({uri})"
