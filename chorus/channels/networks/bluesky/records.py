"""The records Chorus writes to Bluesky, and the at:// addresses that name them.

Shapes follow the lexicons ``app.bsky.feed.post``, ``app.bsky.embed.images``,
``app.bsky.embed.external`` and ``com.atproto.repo.strongRef``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from chorus.channels.errors import Permanent

POST = "app.bsky.feed.post"
APP_URL = "https://bsky.app"


@dataclass(frozen=True)
class AtUri:
    """``at://<did>/<collection>/<rkey>``: the id of a record, and of a post for Chorus."""

    repo: str
    collection: str
    rkey: str

    @classmethod
    def parse(cls, uri: str) -> AtUri:
        parts = uri.removeprefix("at://").split("/") if uri.startswith("at://") else []
        if len(parts) != 3 or not all(parts):
            raise Permanent(f"This is not a Bluesky post address: {uri!r}")
        return cls(*parts)

    def __str__(self) -> str:
        return f"at://{self.repo}/{self.collection}/{self.rkey}"


def post_url(handle_or_did: str, uri: str) -> str:
    """The address a person opens in a browser."""
    return f"{APP_URL}/profile/{handle_or_did}/post/{AtUri.parse(uri).rkey}"


def now_iso() -> str:
    return format_time(datetime.now(UTC))


def format_time(moment: datetime) -> str:
    # Bluesky's own clients send milliseconds and a "Z"; some readers are strict about it.
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def post_record(
    text: str,
    *,
    created_at: str,
    facets: list[dict[str, Any]] | None = None,
    reply: dict[str, Any] | None = None,
    embed: dict[str, Any] | None = None,
    langs: list[str] | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": created_at}
    if facets:
        record["facets"] = facets
    if reply:
        record["reply"] = reply
    if embed:
        record["embed"] = embed
    if langs:
        record["langs"] = langs[:3]  # the lexicon allows three
    return record


def strong_ref(uri: str, cid: str) -> dict[str, str]:
    return {"uri": uri, "cid": cid}


def reply_ref(parent: dict[str, Any]) -> dict[str, Any]:
    """Reply refs from the parent as getRecord gave it: the root is the parent's root, if any."""
    uri, cid, value = parent.get("uri"), parent.get("cid"), parent.get("value")
    if not isinstance(uri, str) or not isinstance(cid, str) or not isinstance(value, dict):
        raise Permanent("Bluesky sent an answer Chorus could not read.", detail="getRecord")
    parent_ref = strong_ref(uri, cid)
    reply = value.get("reply")
    root = reply.get("root") if isinstance(reply, dict) else None
    if (
        isinstance(root, dict)
        and isinstance(root.get("uri"), str)
        and isinstance(root.get("cid"), str)
    ):
        return {"root": strong_ref(root["uri"], root["cid"]), "parent": parent_ref}
    return {"root": parent_ref, "parent": parent_ref}


def images_embed(images: list[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """``images`` are (blob from uploadBlob, alt text) pairs."""
    return {
        "$type": "app.bsky.embed.images",
        "images": [{"image": blob, "alt": alt} for blob, alt in images],
    }


def external_embed(card: dict[str, Any], thumb: dict[str, Any] | None) -> dict[str, Any]:
    external: dict[str, Any] = {
        "uri": str(card.get("uri") or ""),
        "title": str(card.get("title") or ""),
        "description": str(card.get("description") or ""),
    }
    if not external["uri"].startswith(("http://", "https://")):
        raise Permanent("A link card needs the full address of the page (https://…).")
    if thumb:
        external["thumb"] = thumb
    return {"$type": "app.bsky.embed.external", "external": external}
