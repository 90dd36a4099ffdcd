"""Publishing one target, at most once (invariant 1), and recording what happened.

A worker first *claims* the target with a conditional UPDATE (still ``scheduled``, same
``version``); only the winner talks to the network. Every later change is again conditional on
the version it claimed, so a worker that lost its lease can never overwrite a newer decision.
The network's answer is classified (invariant 5) before the target moves:

- published      -> ``published`` with the remote id and link
- Transient      -> ``scheduled`` again after a backoff, ``failed`` after MAX_ATTEMPTS
- RateLimited    -> ``scheduled`` again after the network's own wait; the whole channel waits
- AuthExpired    -> refresh once and try again, else the channel needs reconnecting
- Permanent      -> ``failed`` with the network's words
- Unconfirmed    -> ``unconfirmed``; :mod:`.sweeper` reconciles from the account's recent posts
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels import services as channels
from chorus.channels.base import Connection, MediaFile, OutgoingPost, PublishedPost
from chorus.channels.errors import (
    AuthExpired,
    ChannelError,
    Permanent,
    RateLimited,
    Transient,
    Unconfirmed,
)
from chorus.channels.models import ChannelStatus
from chorus.core import http as chorus_http
from chorus.publishing.models import (
    Outcome,
    PostTarget,
    PublishAttempt,
    State,
    WorkspacePublishing,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (15, 60, 300, 900, 1800, 3600, 3600)


def in_flight_per_channel() -> int:
    return int(getattr(settings, "CHORUS_PUBLISH_PER_CHANNEL", 2))


@dataclass
class Result:
    """How one attempt ended, before it is written down."""

    outcome: str
    message: str = ""
    published: PublishedPost | None = None
    retry_in: float | None = None


def claim(target: PostTarget) -> bool:
    """Take the target for this worker; True for exactly one of any number of callers.

    The per-channel limit is part of the same UPDATE, so a busy channel is simply not claimed.
    """
    now = timezone.now()
    in_flight = (
        PostTarget.objects.filter(channel_id=OuterRef("channel_id"), state=State.PUBLISHING)
        .order_by()
        .values("channel_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    won = (
        PostTarget.objects.filter(
            pk=target.pk, state=State.SCHEDULED, version=target.version, held=False
        )
        .alias(busy=Coalesce(Subquery(in_flight), 0))
        .filter(busy__lt=in_flight_per_channel())
        .update(
            state=State.PUBLISHING,
            version=F("version") + 1,
            attempts=F("attempts") + 1,
            claimed_at=now,
            state_changed_at=now,
        )
    )
    if won:
        target.state, target.version = State.PUBLISHING, target.version + 1
        target.attempts, target.claimed_at = target.attempts + 1, now
    return bool(won)


def move(target: PostTarget, state: str, *, expect: str = State.PUBLISHING, **fields: Any) -> bool:
    """Change the state only if nobody else did since we read it (same version, same state)."""
    now = timezone.now()
    moved = PostTarget.objects.filter(pk=target.pk, version=target.version, state=expect).update(
        state=state, version=F("version") + 1, state_changed_at=now, **fields
    )
    if moved:
        target.state, target.version = state, target.version + 1
        for name, value in fields.items():
            setattr(target, name, value)
    else:
        log.warning("target %s changed under us; leaving it to the newer decision", target.pk)
    return bool(moved)


# -- the HTTP client, shared per worker thread -------------------------------------------------

_local = threading.local()


def shared_http(base_url: str) -> httpx.Client:
    """One client per thread and server: building a client (TLS context) costs more than a post."""
    clients: dict[tuple[str, bool], httpx.Client] = getattr(_local, "clients", None) or {}
    _local.clients = clients
    key = (base_url, bool(getattr(settings, "CHORUS_BLOCK_EXTERNAL_HTTP", False)))
    if key not in clients:
        # The operator may want a shorter wait on publishing than on other requests.
        timeout = getattr(settings, "CHORUS_PUBLISH_TIMEOUT_SECONDS", None)
        if timeout:
            limit = httpx.Timeout(float(timeout), connect=5.0)
            clients[key] = chorus_http.client(base_url=base_url, timeout=limit)
        else:
            clients[key] = chorus_http.client(base_url=base_url)
    return clients[key]


def connection_for(target: PostTarget) -> Connection:
    channel = target.channel
    return channels.connection_for(
        channel, http=shared_http(str(channel.settings.get("base_url", "")))
    )


def outgoing(target: PostTarget) -> OutgoingPost:
    media = tuple(
        MediaFile(
            filename=item.file.name.rsplit("/", 1)[-1],
            mime_type=item.mime_type,
            data=item.file.read(),
            alt_text=item.alt_text,
        )
        for item in target.media.all()
    )
    return OutgoingPost(
        text=target.text,
        media=media,
        options=dict(target.options),
        idempotency_key=str(target.idempotency_key),
    )


# -- one attempt -------------------------------------------------------------------------------


def send(target: PostTarget) -> Result:
    """Talk to the network, refreshing credentials once if they were refused."""
    for round_ in (1, 2):
        try:
            published = connection_for(target).publish(outgoing(target))
            return Result(Outcome.PUBLISHED, published=published)
        except AuthExpired as error:
            if round_ == 2 or not channels.recover_from_auth_error(target.channel, error):
                return _auth_failed(target, error)
        except ChannelError as error:
            return classify(target, error)
    raise AssertionError("unreachable")


def _auth_failed(target: PostTarget, error: AuthExpired) -> Result:
    channels.mark_needs_reconnect(target.channel, error.message)
    message = _("%(error)s Reconnect the channel, then reschedule this post.") % {
        "error": error.message
    }
    return Result(Outcome.FAILED, message)


def classify(target: PostTarget, error: ChannelError) -> Result:
    """Invariant 5: decide from the kind of error, never from the message."""
    said = f"{error.message} ({error.detail})" if error.detail else error.message
    if isinstance(error, RateLimited):
        channels.record_error(target.channel, error)
        return Result(Outcome.RATE_LIMITED, said, retry_in=error.retry_after)
    channels.record_error(target.channel, error)
    if isinstance(error, Unconfirmed):
        return Result(Outcome.UNCONFIRMED, said)
    if isinstance(error, Permanent):
        return Result(Outcome.FAILED, said)
    if isinstance(error, Transient) and target.attempts < MAX_ATTEMPTS:
        wait = BACKOFF_SECONDS[min(target.attempts - 1, len(BACKOFF_SECONDS) - 1)]
        return Result(Outcome.RETRY, said, retry_in=wait)
    if isinstance(error, Transient):
        message = _("Chorus gave up after %(n)d attempts. Last answer: %(said)s") % {
            "n": target.attempts,
            "said": said,
        }
        return Result(Outcome.FAILED, message)
    return Result(Outcome.UNCONFIRMED, said)  # an unknown kind: never guess it did not apply


def record(target: PostTarget, result: Result, started: datetime, late_by: float) -> bool:
    """Write the outcome on the target (conditionally) and in the attempt log."""
    now = timezone.now()
    if result.outcome == Outcome.PUBLISHED and result.published:
        moved = move(
            target,
            State.PUBLISHED,
            remote_id=result.published.remote_id,
            remote_url=result.published.url,
            published_at=result.published.published_at or now,
            last_error="",
        )
        _note_success(target)
    elif result.outcome in (Outcome.RETRY, Outcome.RATE_LIMITED):
        retry_at = now + timedelta(seconds=result.retry_in or 0)
        moved = move(
            target, State.SCHEDULED, due_at=retry_at, enqueued_at=now, last_error=result.message
        )
    else:
        state = State.UNCONFIRMED if result.outcome == Outcome.UNCONFIRMED else State.FAILED
        moved = move(target, state, last_error=result.message)
    PublishAttempt.objects.create(
        workspace_id=target.workspace_id,
        target=target,
        started_at=started,
        finished_at=now,
        outcome=result.outcome,
        message=result.message,
        late_by_seconds=late_by,
    )
    return moved


def _note_success(target: PostTarget) -> None:
    channel = target.channel
    # Once a minute is enough for the health page, and spares a write per post.
    if not channel.last_success_at or channel.last_success_at < timezone.now() - timedelta(
        seconds=60
    ):
        channels.record_success(channel)


# -- the task's body ---------------------------------------------------------------------------


def load(target_id: int) -> PostTarget | None:
    return (
        PostTarget.objects.select_related("channel", "workspace__publishing")
        .filter(pk=target_id)
        .first()
    )


def publish_target(target_id: int) -> str:
    """Publish one target if it is due and ours; returns what happened, for logs and tests.

    "later:<seconds>" asks the caller (the Huey task) to try again after that many seconds.
    """
    target = load(target_id)
    if target is None or target.state != State.SCHEDULED or target.held:
        return "skipped"
    if reason := not_now(target):
        return reason
    if target.channel.status != ChannelStatus.ACTIVE:
        move(target, State.FAILED, expect=State.SCHEDULED, last_error=reconnect_message())
        return "failed"
    if not claim(target):
        return _why_not_claimed(target)
    started = timezone.now()
    late_by = max(0.0, (started - (target.scheduled_at or started)).total_seconds())
    try:
        result = send(target)
    except Exception as exc:  # a bug of ours: the request may have gone out, so never resend blind
        log.exception("target %s: unexpected error while publishing", target.pk)
        result = Result(
            Outcome.UNCONFIRMED, _("Unexpected error in Chorus: %s") % type(exc).__name__
        )
    record(target, result, started, late_by)
    if result.outcome in (Outcome.RETRY, Outcome.RATE_LIMITED):
        return f"later:{result.retry_in or 0}"
    return str(result.outcome)


def not_now(target: PostTarget) -> str:
    """Why a scheduled target must wait: paused workspace, rate-limited channel, not yet due."""
    if _paused(target):
        return "paused"
    now = timezone.now()
    channel = target.channel
    if channel.rate_limit_reset_at and channel.rate_limit_reset_at > now:
        return f"later:{(channel.rate_limit_reset_at - now).total_seconds()}"
    if target.due_at and target.due_at > now + timedelta(seconds=1):
        return f"later:{(target.due_at - now).total_seconds()}"
    return ""


def _paused(target: PostTarget) -> bool:
    # Read with the target (select_related): no extra query per post.
    try:
        switches: WorkspacePublishing = target.workspace.publishing  # type: ignore[attr-defined]
        return switches.is_paused
    except WorkspacePublishing.DoesNotExist:
        return False


def _why_not_claimed(target: PostTarget) -> str:
    fresh = PostTarget.objects.filter(pk=target.pk).values("state", "version", "held").first()
    if fresh and fresh["state"] == State.SCHEDULED and fresh["version"] == target.version:
        return "later:0.5"  # the channel already has its share of posts in flight
    return "taken"


def reconnect_message() -> str:
    return str(_("This channel needs reconnecting. Reconnect it, then reschedule this post."))
