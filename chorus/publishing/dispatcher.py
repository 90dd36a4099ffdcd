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
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection as database
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels import policy
from chorus.channels import services as channels
from chorus.channels.base import Connection, PublishedPost, RateLimitState
from chorus.channels.errors import AuthExpired, ChannelError, Transient
from chorus.channels.models import ChannelStatus
from chorus.core import heartbeats as worker_beats
from chorus.publishing.connections import connection_for, outgoing
from chorus.publishing.models import (
    Outcome,
    PostPart,
    PostTarget,
    PublishAttempt,
    State,
    WorkspacePublishing,
)

log = logging.getLogger(__name__)

# The one backoff table of every network call (chorus/channels/policy.py).
MAX_ATTEMPTS = policy.MAX_ATTEMPTS
BACKOFF_SECONDS = policy.BACKOFF_SECONDS
LOW_BUDGET = 10  # requests left on a channel below which every answer's count is saved

# A variant or one part of its thread: both move through the same states, the same way.
Publishable = PostTarget | PostPart
# What to do once a variant is published and its thread's parts are waiting (see :mod:`.threads`).
ThenPublishParts = Callable[[PostTarget, Connection | None], object]


def in_flight_per_channel() -> int:
    return int(getattr(settings, "CHORUS_PUBLISH_PER_CHANNEL", 2))


def lead_seconds() -> float:
    """How early the queue gets a batch: its scheduler wakes once a second, workers poll."""
    return float(getattr(settings, "CHORUS_PUBLISH_LEAD_SECONDS", 2.0))


def max_wait_seconds() -> float:
    # A batch spans one window after its lead; anything further away goes back to the queue.
    return lead_seconds() + float(getattr(settings, "CHORUS_PUBLISH_WINDOW_SECONDS", 1.0)) + 0.5


@dataclass
class Result:
    """How one attempt ended, before it is written down."""

    outcome: str
    message: str = ""
    published: PublishedPost | None = None
    retry_in: float | None = None
    budget: RateLimitState | None = None  # the network's rate-limit headers, when it sent them


def claim(target: Publishable) -> bool:
    """Take the target (or a part of its thread) for this worker; True for exactly one of any
    number of callers.

    The per-channel limit is part of the same UPDATE, so a busy channel is simply not claimed.
    Plain SQL: this runs once per post, and the ORM's compiling cost more than the query.
    """
    now = timezone.now()
    when = database.ops.adapt_datetimefield_value(now)
    table = target._meta.db_table
    limit, limit_params = _claim_conditions(target)
    # Which worker holds a variant, so a killed one's are handed back within seconds (parts
    # come back after the lease, see threads.recover_stale_parts).
    taken, taken_params = ", taken_by = %s", [worker_beats.worker_name()]
    if isinstance(target, PostPart):
        taken, taken_params = "", []
    with database.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, version = version + 1, attempts = attempts + 1,"  # noqa: S608
            f" claimed_at = %s, state_changed_at = %s{taken}"
            f" WHERE id = %s AND state = %s AND version = %s{limit}",
            [
                State.PUBLISHING, when, when, *taken_params,
                target.pk, State.SCHEDULED, target.version, *limit_params,
            ],
        )  # fmt: skip
        won = cursor.rowcount == 1
    if won:
        target.state, target.version = State.PUBLISHING, target.version + 1
        target.attempts, target.claimed_at = target.attempts + 1, now
    return won


def _claim_conditions(target: Publishable) -> tuple[str, list[Any]]:
    """A variant waits while it is held or its channel has its share in flight. A part does not
    (its thread already started, and its parts go out one at a time anyway), but goes out only
    while its variant is still published: never after a person deleted the post."""
    table = PostTarget._meta.db_table
    if isinstance(target, PostPart):
        published = f" AND EXISTS (SELECT 1 FROM {table} WHERE id = %s AND state = %s)"  # noqa: S608
        return published, [target.target_id, State.PUBLISHED]
    return (
        " AND held = %s AND (SELECT COUNT(*)"  # noqa: S608
        f" FROM {table} WHERE channel_id = %s AND state = %s) < %s",
        [False, target.channel_id, State.PUBLISHING, in_flight_per_channel()],
    )


def move(target: Publishable, state: str, *, expect: str = State.PUBLISHING, **fields: Any) -> bool:
    """Change the state only if nobody else did since we read it (same version, same state).

    Plain SQL like :func:`claim`: it runs once or twice per post.
    """
    values = {"state": state, "state_changed_at": timezone.now(), **fields}
    meta = target._meta
    columns, params = [], []
    for name, value in values.items():
        field = meta.get_field(name)
        assert isinstance(field, Field)  # a concrete column of the target, never a relation list
        columns.append(f"{database.ops.quote_name(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection=database))
    with database.cursor() as cursor:
        cursor.execute(
            f"UPDATE {meta.db_table} SET {', '.join(columns)}, version = version + 1"  # noqa: S608
            " WHERE id = %s AND version = %s AND state = %s",
            [*params, target.pk, target.version, expect],
        )
        moved = cursor.rowcount == 1
    if moved:
        target.version += 1
        for name, value in values.items():
            setattr(target, name, value)
    else:
        log.warning("%s changed under us; leaving it to the newer decision", target)
    return moved


def move_to_published(target: PostTarget, *, expect: str = State.PUBLISHING, **fields: Any) -> bool:
    """:func:`move` to published, and the parts of its thread (if any) made ready to go in the
    same transaction: a crash right after still leaves the rest of the thread to do."""
    with transaction.atomic(savepoint=False):  # inside :func:`record`'s: no savepoint per post
        moved = move(target, State.PUBLISHED, expect=expect, **fields)
        if moved:
            PostPart.objects.bulk_create(PostPart.planned_for(target, due_at=timezone.now()))
    return moved


def log_attempt(
    target: PostTarget, result: Result, started: datetime, finished: datetime, late_by: float
) -> None:
    """One line of the attempt log, in plain SQL for the same reason as :func:`move`."""
    when = database.ops.adapt_datetimefield_value
    with database.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PublishAttempt._meta.db_table} (workspace_id, target_id, started_at,"  # noqa: S608
            " finished_at, outcome, message, late_by_seconds) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                target.workspace_id, target.pk, when(started), when(finished),
                str(result.outcome), result.message, late_by,
            ],
        )  # fmt: skip


# -- one attempt -------------------------------------------------------------------------------


def send(target: PostTarget, connection: Connection | None = None) -> Result:
    """Talk to the network through the one policy (credentials refreshed once if refused)."""
    given = [connection or connection_for(target)]
    used: list[Connection] = []

    def connect() -> Connection:
        # The caller's connection first; after a refresh, one with the new credentials.
        used.append(given.pop() if given else connection_for(target))
        return used[-1]

    try:
        published = policy.call_network(
            target.channel, lambda c: c.publish(outgoing(target)), connect=connect
        )
    except AuthExpired as error:  # the policy marked the channel "needs reconnect"
        return _auth_failed(target, error)
    except ChannelError as error:
        result = classify(target, error)
        result.budget = used[-1].last_rate_limit if used else None
        return result
    return Result(Outcome.PUBLISHED, published=published, budget=used[-1].last_rate_limit)


def _auth_failed(target: PostTarget, error: AuthExpired) -> Result:
    message = _("%(error)s Reconnect the channel, then reschedule this post.") % {
        "error": error.message
    }
    return Result(Outcome.FAILED, message)


def classify(target: PostTarget, error: ChannelError) -> Result:
    """Invariant 5: decide from the kind of error, never from the message (the one policy;
    the error is already on the channel's health)."""
    said = f"{error.message} ({error.detail})" if error.detail else error.message
    verdict = policy.decide(error, target.attempts)
    if verdict.decision == policy.Decision.WAIT:
        return Result(Outcome.RATE_LIMITED, said, retry_in=verdict.wait)
    if verdict.decision == policy.Decision.RETRY:
        return Result(Outcome.RETRY, said, retry_in=verdict.wait)
    if verdict.decision == policy.Decision.UNCONFIRMED:
        return Result(Outcome.UNCONFIRMED, said)  # an unknown kind: never guess it did not apply
    if isinstance(error, Transient):
        message = _("Chorus gave up after %(n)d attempts. Last answer: %(said)s") % {
            "n": target.attempts,
            "said": said,
        }
        return Result(Outcome.FAILED, message)
    return Result(Outcome.FAILED, said)


def record(target: PostTarget, result: Result, started: datetime, late_by: float) -> bool:
    """Write the outcome on the target (conditionally) and in the attempt log, together."""
    now = timezone.now()
    with transaction.atomic():
        if result.outcome == Outcome.PUBLISHED and result.published:
            moved = move_to_published(target, **_published_fields(target, result.published, now))
        elif result.outcome in (Outcome.RETRY, Outcome.RATE_LIMITED):
            retry_at = now + timedelta(seconds=result.retry_in or 0)
            moved = move(
                target, State.SCHEDULED, due_at=retry_at, enqueued_at=now, last_error=result.message
            )
        else:
            state = State.UNCONFIRMED if result.outcome == Outcome.UNCONFIRMED else State.FAILED
            moved = move(target, state, last_error=result.message)
        log_attempt(target, result, started, now, late_by)
    if result.outcome == Outcome.PUBLISHED:
        _note_success(target)
    if result.outcome != Outcome.RATE_LIMITED:  # a refusal already stopped the channel
        note_budget(target, result.budget)
    return moved


def _published_fields(
    target: PostTarget, published: PublishedPost, now: datetime
) -> dict[str, Any]:
    return {
        "remote_id": published.remote_id,
        "remote_url": published.url,
        "published_at": published.published_at or now,
        "last_error": "",
    }


def _note_success(target: PostTarget) -> None:
    channel = target.channel
    # Once a minute is enough for the health page, and spares a write per post.
    if not channel.last_success_at or channel.last_success_at < timezone.now() - timedelta(
        seconds=60
    ):
        channels.record_success(channel)


def note_budget(target: PostTarget, budget: RateLimitState | None) -> None:
    """Save what the network said of the requests left: always when spent or nearly, else when
    it moved by LOW_BUDGET since we last saved it (a write per post would cost more than it tells).
    """
    if budget is None or budget.remaining is None:
        return
    stored = target.channel.rate_limit_remaining
    if (
        budget.remaining > LOW_BUDGET
        and stored is not None
        and abs(stored - budget.remaining) < LOW_BUDGET
    ):
        return
    channels.record_rate_limit(target.channel, budget.remaining, budget.reset_at)


# -- the task's body ---------------------------------------------------------------------------


def load(target_ids: list[int]) -> list[PostTarget]:
    """Targets with what publishing them reads (channel, pause switch, media), in due order."""
    targets = list(
        PostTarget.objects.select_related("channel", "workspace__publishing")
        .prefetch_related("media")
        .filter(pk__in=target_ids)
        .order_by("due_at", "pk")
    )
    # One object per channel, so a rate limit met by one target is seen by the next.
    shared: dict[int, Any] = {}
    for target in targets:
        target.channel = shared.setdefault(target.channel_id, target.channel)
    return targets


def publish_target(target_id: int, then: ThenPublishParts | None = None) -> str:
    """Publish one target if it is due and ours; returns what happened, for logs and tests.

    "later:<seconds>" asks the caller (the Huey task) to try again after that many seconds.
    ``then`` publishes the parts of its thread, if it has some, once the target is published.
    """
    found = load([target_id])
    return publish_loaded(found[0], then) if found else "skipped"


def publish_batch(
    target_ids: list[int], *, wait: bool = True, then: ThenPublishParts | None = None
) -> list[tuple[int, str]]:
    """Publish targets one after the other, each at its own time (``wait``: sleep until then).

    The queue hands a batch over a little ahead of its first target (see :mod:`.sweeper`), so
    a post goes out at its second rather than at the queue's next tick.
    """
    outcomes = []
    targets = load(target_ids)
    take(targets)
    for target in targets:
        if wait:
            wait_until_due(target)
        outcomes.append((target.pk, publish_loaded(target, then)))
    return outcomes


def take(targets: list[PostTarget]) -> None:
    """Note that this worker holds these targets until it claims them (a batch waits for its
    targets' times): if it dies meanwhile, the others hand them back within seconds."""
    waiting = [t.pk for t in targets if t.state == State.SCHEDULED]
    if waiting:
        me = worker_beats.worker_name()
        PostTarget.objects.filter(pk__in=waiting, state=State.SCHEDULED).update(taken_by=me)


def wait_until_due(target: PostTarget) -> None:
    if target.due_at is None:
        return
    ahead = (target.due_at - timezone.now()).total_seconds()
    if 0 < ahead <= max_wait_seconds():
        time.sleep(ahead)


def publish_loaded(target: PostTarget, then: ThenPublishParts | None = None) -> str:
    if target.state != State.SCHEDULED or target.held:
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
    connection = None
    try:
        connection = connection_for(target)
        result = send(target, connection)
    except Exception as exc:  # a bug of ours: the request may have gone out, so never resend blind
        log.exception("target %s: unexpected error while publishing", target.pk)
        result = Result(
            Outcome.UNCONFIRMED, _("Unexpected error in Chorus: %s") % type(exc).__name__
        )
    moved = record(target, result, started, late_by)
    if moved and then and result.outcome == Outcome.PUBLISHED and PostPart.planned_for(target):
        then(target, connection)
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
    if target.despite_pause:
        return False
    try:
        switches: WorkspacePublishing = target.workspace.publishing
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
