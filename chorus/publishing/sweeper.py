"""Finding what is due, and cleaning up after downtime, crashes and lost answers.

``dispatch_due`` runs every minute (and can be called directly). It hands due targets to the
queue with their exact time (Huey's ETA), a little ahead, so a post due at 10:00:37 goes out at
10:00:37 rather than at the next minute. Between two minutes, :func:`rehand_lost` runs every
``REHAND_EVERY``: a target the queue lost (its worker was killed holding it, a queue emptied) is
handed over again once it is ``REHAND_AFTER`` past due and still ``scheduled`` — the claim makes
a second hand-over harmless — and a claim whose lease ran out goes through
:func:`recover_stale_claims` (idempotency key or unconfirmed), never straight back to a worker.

Those margins are the fallback. Workers beat twice a second (``chorus.core.heartbeats``), and each
live one runs :func:`hand_back_from_silent_workers` after its beat: what a killed worker held is
back in the queue about two seconds after its last beat, through the same safe path.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from chorus.channels import services as channels
from chorus.channels.base import Capability
from chorus.channels.errors import ChannelError
from chorus.channels.registry import get_network
from chorus.core import heartbeats as worker_beats
from chorus.publishing import connections, dispatcher, threads
from chorus.publishing.connections import same_text
from chorus.publishing.models import (
    Outcome,
    Post,
    PostTarget,
    PublishAttempt,
    State,
    WorkspacePublishing,
)
from chorus.workspaces.services import notify

log = logging.getLogger(__name__)

LOOKAHEAD = timedelta(seconds=75)  # a bit more than the periodic task's minute
# A target still unclaimed this long after its time (and after it was handed over) was lost by the
# queue: a healthy worker claims within a second or two of the due time.
REHAND_AFTER = timedelta(seconds=20)
REHAND_EVERY = timedelta(seconds=10)  # the quick checks between two minutes' sweeps
RECONCILE_GRACE = timedelta(minutes=15)  # after this, an unconfirmed post is declared failed
IDEMPOTENCY_WINDOW = timedelta(minutes=50)  # Mastodon remembers a key for an hour

Enqueue = Callable[[int, datetime], None]
EnqueueBatch = Callable[[list[int], datetime], None]


def lease() -> timedelta:
    """How long a claim may stay in flight before the sweeper assumes its worker died."""
    return timedelta(seconds=int(getattr(settings, "CHORUS_PUBLISH_LEASE_SECONDS", 120)))


def batch_size() -> int:
    """Targets per queue task: more means fewer queue writes, fewer means less waiting."""
    return max(1, int(getattr(settings, "CHORUS_PUBLISH_BATCH_SIZE", 10)))


def window() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "CHORUS_PUBLISH_WINDOW_SECONDS", 1.0)))


def paused_workspaces() -> Q:
    """Targets held back by their workspace's pause (a crisis's statement is not)."""
    return Q(
        workspace_id__in=WorkspacePublishing.objects.filter(paused_at__isnull=False).values(
            "workspace_id"
        ),
        despite_pause=False,
    )


def due_targets(now: datetime) -> QuerySet[PostTarget]:
    """Scheduled, not held, due within the lookahead, not already handed to the queue."""
    return (
        PostTarget.objects.filter(state=State.SCHEDULED, held=False, due_at__lte=now + LOOKAHEAD)
        .filter(Q(enqueued_at__isnull=True) | lost_by_the_queue(now))
        .exclude(paused_workspaces())
        .exclude(channel__rate_limit_reset_at__gt=now)
        .order_by("due_at")
    )


def lost_by_the_queue(now: datetime) -> Q:
    """Handed over, yet not claimed ``REHAND_AFTER`` past its time: its worker died holding it.

    Both conditions, so a target handed over ahead of its time is never handed twice early, and
    one handed again waits another ``REHAND_AFTER`` before a third time.
    """
    return Q(enqueued_at__lt=now - REHAND_AFTER, due_at__lt=now - REHAND_AFTER)


def dispatch_due(
    enqueue: Enqueue | None = None,
    now: datetime | None = None,
    *,
    enqueue_batch: EnqueueBatch | None = None,
) -> int:
    """Sweep, then hand every due target to the queue; returns how many were handed over.

    With ``enqueue_batch`` (the workers), targets go in timed batches (:func:`plan_batches`);
    with ``enqueue``, one by one.
    """
    now = now or timezone.now()
    sweep(now)
    handed = hand_over(now, enqueue, enqueue_batch)
    resume_threads(now)
    return handed


def rehand_lost(
    enqueue_batch: EnqueueBatch | None = None,
    now: datetime | None = None,
    *,
    enqueue: Enqueue | None = None,
) -> int:
    """The quick check between two sweeps: what a killed worker held goes out seconds late, not
    minutes. Only the cheap part of :func:`sweep` (no network calls): expired claims, then the
    hand-over of everything due and not in the queue's hands any more."""
    now = now or timezone.now()
    recover_stale_claims(now)
    return hand_over(now, enqueue, enqueue_batch)


def hand_over(now: datetime, enqueue: Enqueue | None, enqueue_batch: EnqueueBatch | None) -> int:
    handed = 0
    batch = _due_batch(now)
    while batch:
        ids = [pk for pk, _due in batch]
        PostTarget.objects.filter(pk__in=ids).update(enqueued_at=now)
        if enqueue_batch is not None:
            for first_due, stripe in plan_batches(batch, now):
                enqueue_batch(stripe, first_due)
        elif enqueue is not None:
            for pk, due_at in batch:
                enqueue(pk, max(due_at, now))
        handed += len(batch)
        batch = _due_batch(now)
    return handed


def _due_batch(now: datetime) -> list[tuple[int, datetime]]:
    # ``due_at__lte`` leaves out the variants without a time: every ``due_at`` here is set.
    due = due_targets(now).values_list("pk", "due_at")[:5000]
    return cast(list[tuple[int, datetime]], list(due))


def plan_batches(
    due: list[tuple[int, datetime]], now: datetime
) -> list[tuple[datetime, list[int]]]:
    """Group targets (in due order) by window, and split each window into interleaved stripes.

    A window holding 40 targets with batches of 10 makes 4 stripes: targets 1, 5, 9… in the
    first. Each stripe runs on one worker thread, one target after the other, so its targets
    being spread over the window (rather than the first ten together) is what keeps them on time.
    """
    planned: list[tuple[datetime, list[int]]] = []
    group: list[tuple[int, datetime]] = []
    for pk, due_at in due:
        due_at = max(due_at, now)
        if group and due_at - group[0][1] >= window():
            planned.extend(_stripes(group))
            group = []
        group.append((pk, due_at))
    if group:
        planned.extend(_stripes(group))
    return planned


def _stripes(group: list[tuple[int, datetime]]) -> list[tuple[datetime, list[int]]]:
    count = -(-len(group) // batch_size())  # ceiling
    stripes = [group[i::count] for i in range(count)]
    return [(stripe[0][1], [pk for pk, _due in stripe]) for stripe in stripes]


def sweep(now: datetime) -> None:
    recover_stale_claims(now)
    fail_too_late(now)
    fail_unapproved(now)
    for target in PostTarget.objects.filter(state=State.UNCONFIRMED).select_related(
        "channel", "workspace"
    )[:200]:
        reconcile(target, now)


def recover_stale_claims(now: datetime) -> int:
    """A claim older than the lease means its worker died mid-publication."""
    stale = PostTarget.objects.filter(
        state=State.PUBLISHING, claimed_at__lt=now - lease()
    ).select_related("channel")
    return sum(hand_back_claim(target, now) for target in stale)


def hand_back_claim(target: PostTarget, now: datetime) -> bool:
    """The worker holding this claim died: its request may or may not have reached the network.

    With an idempotency key the request is safely sent again (the network answers with the post
    it already made); without one, the target becomes unconfirmed and is reconciled.
    """
    keyed = get_network(target.channel.network).can(Capability.IDEMPOTENCY_KEY)
    if keyed and target.claimed_at and target.claimed_at > now - IDEMPOTENCY_WINDOW:
        message = _("The worker publishing this post stopped; trying again safely.")
        moved = dispatcher.move(
            target, State.SCHEDULED, due_at=now, enqueued_at=None, last_error=message
        )
    else:
        message = _("The worker publishing this post stopped; checking the network.")
        moved = dispatcher.move(target, State.UNCONFIRMED, last_error=message)
    if moved:
        _log_attempt(target, Outcome.RETRY, message, now)
    return moved


def hand_back_from_silent_workers(now: datetime, enqueue_batch: EnqueueBatch) -> int:
    """What workers that fell silent held goes back to the queue now, not after the lease:
    their claims as :func:`hand_back_claim` says, the targets they had taken from the queue and
    not claimed yet handed over again. Runs after each heartbeat of every live worker."""
    silent = worker_beats.silent_workers(now)
    if not silent:
        return 0
    claimed = PostTarget.objects.filter(state=State.PUBLISHING, taken_by__in=silent)
    handed = sum(hand_back_claim(target, now) for target in claimed.select_related("channel"))
    handed += PostTarget.objects.filter(
        state=State.SCHEDULED, taken_by__in=silent, enqueued_at__isnull=False
    ).update(enqueued_at=None, taken_by="")
    worker_beats.forget_workers(silent)
    if handed:
        log.warning("workers %s fell silent; handed back %d targets", ", ".join(silent), handed)
        hand_over(now, None, enqueue_batch)
    return handed


def fail_too_late(now: datetime) -> int:
    """Fail scheduled posts overdue by more than their workspace's limit (default 24 h)."""
    failed = 0
    overdue = PostTarget.objects.filter(
        state=State.SCHEDULED, due_at__lt=now - timedelta(minutes=15)
    ).select_related("workspace__publishing")
    for target in overdue.iterator():
        if now - (target.scheduled_at or now) <= late_limit(target):
            continue
        message = _(
            "Not published: it was due more than %(hours)d hours ago (Chorus was stopped or "
            "paused). Reschedule it if it is still worth publishing."
        ) % {"hours": late_limit(target).total_seconds() // 3600}
        if dispatcher.move(target, State.FAILED, expect=State.SCHEDULED, last_error=message):
            failed += 1
            _log_attempt(target, Outcome.FAILED, message, now)
    return failed


def fail_unapproved(now: datetime) -> int:
    """A post still awaiting approval when its time comes is not published: tell whoever made
    the change that waited (``approval_rule.waits_on``), usually its author.

    One notification per post, however many channels it was for.
    """
    waiting = PostTarget.objects.filter(
        state=State.AWAITING_APPROVAL, due_at__lte=now
    ).select_related("post__author", "post__changed_by", "workspace")
    message = _("Not approved before its time")
    failed_posts = {}
    for target in waiting[:1000]:
        if dispatcher.move(
            target, State.FAILED, expect=State.AWAITING_APPROVAL, last_error=message
        ):
            _log_attempt(target, Outcome.FAILED, message, now)
            failed_posts[target.post_id] = target.post
    for post in failed_posts.values():
        _tell_whose_change_waited(post)
    return len(failed_posts)


def _tell_whose_change_waited(post: Post) -> None:
    person = post.changed_by or post.author
    if person is None:
        return
    excerpt = Truncator(post.text).chars(60)
    mine = person == post.author
    notify(
        post.workspace,
        [person],
        lambda: (
            (
                _(
                    "Your post “%(excerpt)s” was not approved before its time, so it was not "
                    "published. Reschedule it once it is approved."
                )
                if mine
                else _(
                    "Your change to the post “%(excerpt)s” was not approved before its time, so "
                    "the post was not published. Reschedule it once it is approved."
                )
            )
            % {"excerpt": excerpt}
        ),
        link=f"/publishing/posts/{post.pk}/",
        email_subject=lambda: _("A post was not approved in time"),
    )


def resume_threads(now: datetime) -> int:
    """Threads whose next part waits on a retry the queue lost, a worker that died or a lost
    answer (:func:`.threads.resume_due`)."""
    return threads.resume_due(now)


def late_limit(target: PostTarget) -> timedelta:
    try:
        switches: WorkspacePublishing = target.workspace.publishing
        return timedelta(minutes=switches.late_limit_minutes)
    except WorkspacePublishing.DoesNotExist:
        return timedelta(hours=24)


def reconcile(target: PostTarget, now: datetime | None = None) -> str:
    """Look for an unconfirmed post on the account; published if found, failed after the grace."""
    now = now or timezone.now()
    connection = connections.connection_for(target)
    try:
        recent = connection.recent_posts()
    except ChannelError as error:
        log.info("target %s: cannot reconcile yet: %s", target.pk, type(error).__name__)
        return _maybe_give_up(target, now)
    finally:
        channels.keep_rotated_credentials(target.channel, connection)
    since = (target.claimed_at or target.state_changed_at) - timedelta(minutes=5)
    for post in recent:
        if same_text(post.text, target.text) and (post.published_at or now) >= since:
            message = _("Found on the network after an unanswered request.")
            fields = {"remote_id": post.remote_id, "remote_url": post.url}
            published_at = post.published_at or now
            if dispatcher.move_to_published(
                target,
                expect=State.UNCONFIRMED,
                published_at=published_at,
                last_error="",
                **fields,
            ):
                _log_attempt(target, Outcome.RECONCILED, message, now)
            return "reconciled"
    return _maybe_give_up(target, now)


def _maybe_give_up(target: PostTarget, now: datetime) -> str:
    if now - target.state_changed_at < RECONCILE_GRACE:
        return "waiting"
    message = _(
        "Chorus could not confirm this post was published and did not find it on the account. "
        "Check the account, then reschedule it if it is missing."
    )
    if dispatcher.move(target, State.FAILED, expect=State.UNCONFIRMED, last_error=message):
        _log_attempt(target, Outcome.FAILED, message, now)
    return "failed"


def _log_attempt(target: PostTarget, outcome: str, message: str, now: datetime) -> None:
    PublishAttempt.note(target, outcome, message, now)
