"""What a post record embeds (``app.bsky.embed.*``): pictures with their alt text, a video, a link
card, a quoted post, or pictures with a quote (``recordWithMedia``).

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
