"""Publishing on Instagram: the container flow, under the dispatcher's at-most-once rule.

Instagram takes no upload: Chorus makes a *container* naming where Meta fetches each file
(``MediaFile.public_url``), waits until Meta has fetched and processed it (``status_code``
``FINISHED``), then publishes that container with ``media_publish``. Only that last call makes a
post, so only its lost answer is Unconfirmed (the sweeper then looks for the caption among the
account's recent media).

A video may still be processing when Chorus stops waiting. That is not a failure: the container's
id is remembered (the shared cache, under the post's idempotency key) and the next attempt
publishes the SAME container, never a second one. Containers expire after 24 hours at Meta, so
the memory does too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent, RateLimited, Transient, Unconfirmed
from chorus.channels.networks.instagram.inbox import as_dict
from chorus.channels.networks.meta.graph import Graph

REMEMBER_SECONDS = 24 * 3600  # Meta lets a container expire after 24 hours
STILL_PROCESSING_WAIT = 60.0  # when a video is still being processed, look again in a minute
QUOTA_FULL_WAIT = 3600.0  # the quota is a rolling 24 hours: look again in an hour
NO_PUBLIC_ADDRESS = (
    "Chorus's address, CHORUS_BASE_URL, is not reachable from the internet: Instagram fetches "
    "pictures and videos from Chorus itself, so CHORUS_BASE_URL must be a public https address."
)


@dataclass
class Remembered:
    """What an earlier attempt made for this post: the carousel's items and the container."""

    children: list[str] = field(default_factory=list)
    container: str = ""


class ContainerFlow:
    """One post's containers on one account. ``sleep`` and the bound are the tests' to shorten."""

    def __init__(
        self,
        graph: Graph,
        ig_user_id: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        checks: int = 10,
        interval: float = 3.0,
    ) -> None:
        self.graph = graph
        self.ig_user_id = ig_user_id
        self.sleep = sleep
        self.checks = checks
        self.interval = interval

    # -- the whole flow -------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> str:
        """The new media's id. Holds the post (RateLimited) while the quota is spent."""
        if not post.media:
            raise Permanent("Instagram posts need a picture or a video.")
        if any(not media.public_url for media in post.media):
            raise Permanent(NO_PUBLIC_ADDRESS)
        self.check_quota()
        memory = self.recall(post.idempotency_key)
        container = self.prepare(post, memory)
        self.wait_until_finished(container, post.idempotency_key)
        answer = self.graph.post(f"{self.ig_user_id}/media_publish", creation_id=container)
        self.forget(post.idempotency_key)
        media_id = str(answer.get("id") or "")
        if not media_id:
            raise Unconfirmed(
                "Instagram accepted the post but did not say its id; Chorus will look for it "
                "on the account.",
                detail=str(answer)[:200],
            )
        return media_id

    def prepare(self, post: OutgoingPost, memory: Remembered) -> str:
        """The container to publish: the one an earlier attempt made, or a new one."""
        if memory.container:
            return memory.container
        if len(post.media) == 1:
            memory.container = self.create(single_fields(post.media[0], post.text))
        else:
            if not memory.children:
                memory.children = [self.create(item_fields(media)) for media in post.media]
                self.remember(post.idempotency_key, memory)
            for child in memory.children:
                self.wait_until_finished(child, post.idempotency_key)
            memory.container = self.create(
                {
                    "media_type": "CAROUSEL",
                    "children": ",".join(memory.children),
                    "caption": post.text,
                }
            )
        self.remember(post.idempotency_key, memory)
        return memory.container

    def create(self, fields: dict[str, Any]) -> str:
        # A container is not a post: a lost answer leaves at most an unused container, which
        # Meta drops after 24 hours, so it is safe to make again (Transient, not Unconfirmed).
        answer = self.graph.post(f"{self.ig_user_id}/media", may_have_applied=False, **fields)
        container = str(answer.get("id") or "")
        if not container:
            raise Transient(
                "Instagram did not say which container it made.", detail=str(answer)[:200]
            )
        return container

    # -- waiting for Meta to fetch and process the media -----------------------------------------

    def wait_until_finished(self, container: str, key: str) -> None:
        for check in range(self.checks):
            info = self.graph.get(container, fields="status_code,status")
            status = str(info.get("status_code") or "")
            if status == "FINISHED":
                return
            if status in ("ERROR", "EXPIRED"):
                self.forget(key)
                raise Permanent(container_failed(status, str(info.get("status") or "")))
            if status == "PUBLISHED":
                raise Unconfirmed(
                    "Instagram says this post's container was already published; Chorus will "
                    "look for the post on the account."
                )
            if check + 1 < self.checks:
                self.sleep(self.interval)
        raise RateLimited(
            "Instagram is still processing the media; Chorus will publish this same upload "
            "in a minute.",
            retry_after=STILL_PROCESSING_WAIT,
        )

    # -- the daily publishing quota --------------------------------------------------------------

    def check_quota(self) -> None:
        """Hold the post while the account's 24-hour publishing quota is spent. An unreadable
        answer does not stop publishing: Meta enforces the quota itself and says so."""
        answer = self.graph.get(
            f"{self.ig_user_id}/content_publishing_limit", fields="config,quota_usage"
        )
        used, total = quota_of(answer)
        if used is not None and total is not None and used >= total:
            raise RateLimited(
                f"Instagram's publishing limit is reached ({used} of {total} posts in 24 "
                "hours). Chorus holds this post and sends it when the limit frees up.",
                retry_after=QUOTA_FULL_WAIT,
            )

    # -- memory between attempts -----------------------------------------------------------------

    def _key(self, key: str) -> str:
        return f"instagram:container:{self.ig_user_id}:{key}"

    def recall(self, key: str) -> Remembered:
        stored = cache.get(self._key(key)) if key else None
        if not isinstance(stored, dict):
            return Remembered()
        return Remembered(
            children=[str(c) for c in stored.get("children") or []],
            container=str(stored.get("container") or ""),
        )

    def remember(self, key: str, memory: Remembered) -> None:
        if key:
            value = {"children": memory.children, "container": memory.container}
            cache.set(self._key(key), value, REMEMBER_SECONDS)

    def forget(self, key: str) -> None:
        if key:
            cache.delete(self._key(key))


def single_fields(media: MediaFile, caption: str) -> dict[str, Any]:
    """A photo, or a video published as a reel (Meta's only kind of feed video since 2023)."""
    if media.mime_type.startswith("video/"):
        return {"media_type": "REELS", "video_url": media.public_url, "caption": caption}
    return {"image_url": media.public_url, "caption": caption, "alt_text": media.alt_text or None}


def item_fields(media: MediaFile) -> dict[str, Any]:
    """One item of a carousel: it carries no caption (the carousel does)."""
    if media.mime_type.startswith("video/"):
        return {"media_type": "VIDEO", "video_url": media.public_url, "is_carousel_item": True}
    return {
        "image_url": media.public_url,
        "is_carousel_item": True,
        "alt_text": media.alt_text or None,
    }


def container_failed(status: str, said: str) -> str:
    if status == "EXPIRED":
        return "Instagram let the upload expire before it was published; schedule the post again."
    words = said or "no reason given"
    return f"Instagram could not use the media: {words}. Check the file's format and size."


def quota_of(answer: dict[str, Any]) -> tuple[int | None, int | None]:
    """``(posts used, posts allowed)`` from ``content_publishing_limit``; None where unreadable."""
    data = answer.get("data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    config = as_dict(first.get("config"))
    used, total = first.get("quota_usage"), config.get("quota_total")
    return (
        used if isinstance(used, int) and not isinstance(used, bool) else None,
        total if isinstance(total, int) and not isinstance(total, bool) else None,
    )
