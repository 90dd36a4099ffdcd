"""Publishing on Threads: the container flow, the 24-hour quotas, and reading our posts back.

Meta's documented flow (developers.facebook.com/docs/threads/posts): create a media container
(``POST /{user}/threads``: TEXT, IMAGE, or CAROUSEL made of 2 to 20 item containers), wait until
a container with media is ``FINISHED`` (``GET /{container}?fields=status,error_message``), then
publish it (``POST /{user}/threads_publish``). Only that last call makes a post: its lost answer
is Unconfirmed (the dispatcher reconciles by reading ``/me/threads`` and ``/me/replies``), while a
lost answer while making a container is only Transient, since a container nobody publishes
expires by itself within 24 hours.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chorus.channels.base import MediaFile, OutgoingPost, PublishedPost
from chorus.channels.errors import ChannelError, Permanent, RateLimited, Transient, Unconfirmed
from chorus.channels.networks.meta.graph import Graph
from chorus.channels.networks.threads.api import meta_time

MAX_CAROUSEL = 20
# When the quota is spent Meta does not say when a slot frees up (it is a moving 24 hours):
# look again after an hour rather than at the end of the whole window.
QUOTA_RETRY_SECONDS = 3600.0
POST_FIELDS = "id,text,permalink,timestamp"

NO_PUBLIC_ADDRESS = (
    "Chorus's address, CHORUS_BASE_URL, is not reachable from the internet: Threads fetches "
    "pictures from an address and cannot reach this one. Set CHORUS_BASE_URL to Chorus's public "
    "address (or store media on S3) and publish again."
)


@dataclass(frozen=True)
class Quota:
    used: int
    total: int
    window_seconds: int

    @property
    def spent(self) -> bool:
        return self.total > 0 and self.used >= self.total


def read_quotas(graph: Graph, user: str) -> tuple[Quota | None, Quota | None]:
    """The posts and replies quotas as Meta counts them (``threads_publishing_limit``)."""
    answer = graph.get(
        f"{user}/threads_publishing_limit",
        fields="quota_usage,config,reply_quota_usage,reply_config",
    )
    rows = answer.get("data")
    row = rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else None
    if row is None:
        raise Transient(
            "Threads answered about the publishing quota in an unexpected shape.",
            detail=str(answer)[:200],
        )
    return _quota(row, "quota_usage", "config"), _quota(row, "reply_quota_usage", "reply_config")


def _quota(row: dict[str, Any], used_key: str, config_key: str) -> Quota | None:
    used, config = row.get(used_key), row.get(config_key)
    if not isinstance(used, int) or not isinstance(config, dict):
        return None
    total, window = config.get("quota_total"), config.get("quota_duration")
    if not isinstance(total, int):
        return None
    return Quota(used, total, window if isinstance(window, int) else 86400)


def check_quota(graph: Graph, user: str, *, is_reply: bool) -> None:
    """Hold the post (RateLimited: the dispatcher waits) when its quota is spent."""
    posts, replies = read_quotas(graph, user)
    quota = replies if is_reply else posts
    if quota is None or not quota.spent:
        return
    hours = max(1, round(quota.window_seconds / 3600))
    what = "replies" if is_reply else "posts"
    raise RateLimited(
        f"Threads allows {quota.total} {what} in {hours} hours and this profile has used "
        f"{quota.used}: Chorus holds this one and tries again within the hour.",
        retry_after=QUOTA_RETRY_SECONDS,
    )


def media_addresses(media: tuple[MediaFile, ...]) -> list[MediaFile]:
    """The pictures, each with the public address Threads fetches it from."""
    if len(media) > MAX_CAROUSEL:
        raise Permanent(f"Threads takes at most {MAX_CAROUSEL} pictures in one post.")
    for item in media:
        if not item.public_url:
            raise Permanent(NO_PUBLIC_ADDRESS)
    return list(media)


class ContainerFlow:
    """Make, wait for and publish one post's container on one profile."""

    def __init__(
        self,
        graph: Graph,
        user: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        poll_seconds: float = 5.0,
        wait_seconds: float = 300.0,
    ) -> None:
        self.graph = graph
        self.user = user
        self.sleep = sleep
        self.poll_seconds = poll_seconds
        self.wait_seconds = wait_seconds

    def publish(self, post: OutgoingPost) -> PublishedPost:
        media = media_addresses(post.media)
        container = self._container(post, media)
        if media:
            self._wait_until_finished(container)
        answer = self.graph.post(f"{self.user}/threads_publish", creation_id=container)
        remote_id = answer.get("id")
        if not isinstance(remote_id, str | int) or not str(remote_id):
            raise Unconfirmed(
                "Threads accepted the post but did not say its id; Chorus will look for it on "
                "the profile.",
                detail=str(answer)[:200],
            )
        return self._published(str(remote_id), post.text)

    def _container(self, post: OutgoingPost, media: list[MediaFile]) -> str:
        fields: dict[str, Any] = {"text": post.text or None, "reply_to_id": post.reply_to or None}
        if not media:
            return self._make({"media_type": "TEXT", **fields})
        if len(media) == 1:
            return self._make({**_image_fields(media[0]), **fields})
        children = [self._make({**_image_fields(item), "is_carousel_item": True}) for item in media]
        return self._make({"media_type": "CAROUSEL", "children": ",".join(children), **fields})

    def _make(self, fields: dict[str, Any]) -> str:
        # No post exists until threads_publish: a lost answer here is safe to try again.
        answer = self.graph.post(f"{self.user}/threads", may_have_applied=False, **fields)
        container = answer.get("id")
        if not isinstance(container, str | int) or not str(container):
            raise Transient(
                "Threads did not give the post's container an id.", detail=str(answer)[:200]
            )
        return str(container)

    def _wait_until_finished(self, container: str) -> None:
        """Meta fetches and checks the pictures first; ERROR and EXPIRED are final."""
        waited = 0.0
        while True:
            answer = self.graph.get(container, fields="status,error_message")
            status = answer.get("status")
            if status in ("FINISHED", "PUBLISHED"):
                return
            if status in ("ERROR", "EXPIRED"):
                said = answer.get("error_message") or status
                raise Permanent(f"Threads could not prepare the post's media: {said}.")
            if waited >= self.wait_seconds:
                raise Transient("Threads is still preparing the post's media; Chorus will retry.")
            self.sleep(self.poll_seconds)
            waited += max(self.poll_seconds, 1.0)

    def _published(self, remote_id: str, text: str) -> PublishedPost:
        """The post's address, read back; it is published even if this read fails."""
        try:
            found = self.graph.get(remote_id, fields=POST_FIELDS)
        except ChannelError:
            found = {}
        return PublishedPost(
            remote_id=remote_id,
            url=str(found.get("permalink") or ""),
            published_at=meta_time(found.get("timestamp")),
            text=str(found.get("text") or text),
        )


def _image_fields(item: MediaFile) -> dict[str, Any]:
    return {"media_type": "IMAGE", "image_url": item.public_url, "alt_text": item.alt_text or None}


def recent_posts(graph: Graph, limit: int) -> list[PublishedPost]:
    """The profile's latest posts and replies (a thread's later parts are replies), newest
    first, to reconcile a publication whose answer was lost."""
    found: list[PublishedPost] = []
    for edge in ("me/threads", "me/replies"):
        answer = graph.get(edge, fields=POST_FIELDS, limit=max(1, min(limit, 100)))
        for item in answer.get("data") or []:
            if isinstance(item, dict) and item.get("id"):
                found.append(
                    PublishedPost(
                        remote_id=str(item["id"]),
                        url=str(item.get("permalink") or ""),
                        published_at=meta_time(item.get("timestamp")),
                        text=str(item.get("text") or ""),
                    )
                )
    return sorted(
        found, key=lambda p: p.published_at.timestamp() if p.published_at else 0.0, reverse=True
    )[:limit]
