"""How a worker talks to a channel's network: shared HTTP clients, cached connections, and what a
target looks like once it leaves Chorus (an :class:`OutgoingPost`).

Kept apart from :mod:`.dispatcher` (which decides *whether* and *when* a target goes out) so the
at-most-once rules read on their own; the sweeper and threads use the same connections.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import Any

import httpx
from django.conf import settings

from chorus.channels import services as channels
from chorus.channels.base import Connection, MediaFile, OutgoingPost
from chorus.channels.registry import get_network
from chorus.core import http as chorus_http
from chorus.publishing.models import Media, PostTarget
from chorus.publishing.public_media import public_media_url

# Keys of ``options`` that are Chorus's own, never sent to the network: the thread's parts and
# the first comment are sent as posts of their own (:mod:`.threads`).
OWN_OPTIONS = ("reply_to", "thread", "first_comment")

_clients: dict[tuple[str, bool, float | None], httpx.Client] = {}
_clients_lock = threading.Lock()
_local = threading.local()


def shared_http(base_url: str) -> httpx.Client:
    """One client per process and server: building one (its TLS context) costs more than a post,
    and an httpx client's connection pool is safe to share between threads."""
    timeout = getattr(settings, "CHORUS_PUBLISH_TIMEOUT_SECONDS", None)
    key = (base_url, bool(getattr(settings, "CHORUS_BLOCK_EXTERNAL_HTTP", False)), timeout)
    with _clients_lock:
        if key not in _clients:
            # The operator may want a shorter wait on publishing than on other requests.
            if timeout:
                limit = httpx.Timeout(float(timeout), connect=5.0)
                _clients[key] = chorus_http.client(base_url=base_url, timeout=limit)
            else:
                _clients[key] = chorus_http.client(base_url=base_url)
        return _clients[key]


def connection_for(target: PostTarget) -> Connection:
    """The channel's connection, kept per thread while its credentials stay the same: decrypting
    them for every post would cost more than the rest of the bookkeeping."""
    channel = target.channel
    base_url = str(channel.settings.get("base_url", ""))
    http = shared_http(base_url)
    known: dict[tuple[int, str, int], Connection] = getattr(_local, "connections", None) or {}
    _local.connections = known
    key = (channel.pk, channel.encrypted_credentials, id(http))
    if key not in known:
        if len(known) > 2000:
            known.clear()
        known[key] = channels.connection_for(channel, http=http)
    connection = known[key]
    connection.last_rate_limit = None  # this post's answer, not an earlier one's
    return connection


def outgoing(target: PostTarget) -> OutgoingPost:
    fetched = get_network(target.channel.network).fetches_media
    media = tuple(media_file(item, with_address=fetched) for item in target.media.all())
    return OutgoingPost(
        text=target.text,
        media=media,
        # An answer written in the inbox hangs on the message it answers (PostKind.REPLY).
        reply_to=str(target.options.get("reply_to") or ""),
        options=network_options(target.options),
        idempotency_key=str(target.idempotency_key),
    )


def media_file(item: Media, *, with_address: bool = False) -> MediaFile:
    """One stored file as it leaves Chorus; ``with_address`` for a network that fetches it
    itself (Instagram, Threads) from a signed, expiring address instead of an upload."""
    return MediaFile(
        filename=item.file.name.rsplit("/", 1)[-1],
        mime_type=item.mime_type,
        alt_text=item.alt_text,
        # Opened when sent, and streamed from storage: a video is never read whole.
        source=functools.partial(item.file.storage.open, item.file.name, "rb"),
        size=item.file.size,
        public_url=public_media_url(item) if with_address else "",
    )


def network_options(options: dict[str, Any]) -> dict[str, Any]:
    """What the network should see of a target's options: not Chorus's own bookkeeping."""
    return {key: value for key, value in options.items() if key not in OWN_OPTIONS}


_SPACE = re.compile(r"\s+")


def same_text(published: str, ours: str) -> bool:
    """Networks rewrite whitespace and links a little; compare what a reader would see."""
    return _SPACE.sub(" ", published).strip() == _SPACE.sub(" ", ours).strip()
