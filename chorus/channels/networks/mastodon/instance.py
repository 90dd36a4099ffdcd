"""The limits a particular Mastodon server applies; many raise the 500-character default."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from chorus.channels.base import Limits
from chorus.channels.networks.mastodon.payload import reading


def limits_from_instance(instance: Any, defaults: Limits) -> Limits:
    """Read ``configuration`` from /api/v2/instance or /api/v1/instance (same shape there)."""
    with reading("the server's limits"):
        config = instance.get("configuration") or {}
        statuses = config.get("statuses") or {}
        media = config.get("media_attachments") or {}
        polls = config.get("polls") or {}
        types = [str(t) for t in media.get("supported_mime_types") or []]
        return replace(
            defaults,
            max_chars=int(statuses.get("max_characters", defaults.max_chars)),
            url_weight=int(statuses.get("characters_reserved_per_url", defaults.url_weight or 23)),
            max_media=int(statuses.get("max_media_attachments", defaults.max_media)),
            image_types=_of_kind(types, "image/") or defaults.image_types,
            video_types=_of_kind(types, "video/") or defaults.video_types,
            max_image_bytes=int(media.get("image_size_limit", defaults.max_image_bytes)),
            max_video_bytes=int(media.get("video_size_limit", defaults.max_video_bytes)),
            max_alt_text=int(media.get("description_limit", defaults.max_alt_text)),
            poll_max_options=int(polls.get("max_options", defaults.poll_max_options)),
        )


def _of_kind(types: list[str], prefix: str) -> tuple[str, ...]:
    return tuple(t for t in types if t.startswith(prefix))
