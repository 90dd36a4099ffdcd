"""Uploading images and videos before the post that shows them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from chorus.channels.base import MediaFile
from chorus.channels.errors import Transient
from chorus.channels.networks.mastodon.payload import read_json, reading

Call = Callable[..., httpx.Response]


class MediaUploader:
    """Uploads through /api/v2/media and waits, within bounds, for the server to process it."""

    first_pause = 1.0
    longest_pause = 10.0

    def __init__(self, call: Call, *, sleep: Callable[[float], None], wait_seconds: float) -> None:
        self.call = call
        self.sleep = sleep
        self.wait_seconds = wait_seconds

    def upload(self, media: MediaFile) -> str:
        """The media id to attach. A repeated upload only leaves an unused file, which Mastodon
        removes itself, so an upload is retried like any read (never Unconfirmed)."""
        with media.opened() as stream:  # streamed: a video is never read whole
            response = self.call(
                "POST",
                "/api/v2/media",
                files={"file": (media.filename, stream, media.mime_type)},
                data={"description": media.alt_text} if media.alt_text else {},
            )
        attachment = read_json(response, "the uploaded file")
        with reading("the uploaded file"):
            media_id = str(attachment["id"])
            ready = bool(attachment.get("url"))
        # 202 means the server is still converting it (videos, large images).
        if response.status_code == 202 or not ready:
            self._wait_until_processed(media_id)
        return media_id

    def _wait_until_processed(self, media_id: str) -> None:
        pause, waited = self.first_pause, 0.0
        while waited < self.wait_seconds:
            self.sleep(pause)
            waited += pause
            if self._is_processed(media_id):
                return
            pause = min(pause * 2, self.longest_pause)
        raise Transient(
            "Mastodon is still processing an uploaded file; Chorus will try again.",
            detail=f"media {media_id} not ready after {waited:.0f}s",
        )

    def _is_processed(self, media_id: str) -> bool:
        # Mastodon answers 206 while processing and 200 with a url once done.
        response = self.call("GET", f"/api/v1/media/{media_id}")
        attachment: Any = read_json(response, "the uploaded file")
        with reading("the uploaded file"):
            return response.status_code == 200 and bool(attachment.get("url"))
