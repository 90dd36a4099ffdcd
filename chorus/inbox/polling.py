"""Polling channels' inboxes: when, how far back the first time, and what to do on errors.

Each channel has a ChannelInbox row (made on its first poll): its cursor, its pace, when it is
due. A minute's sweep claims the due channels with a conditional UPDATE (a lease, so a sweep
running twice or a crashed poll never polls one channel twice at once) and hands each to its own
task, so one slow network never holds the others. The cursor moves in the same transaction as
the batch it led to: a crash between the two re-reads the batch, and dedup makes that harmless.

Errors are classified before acting (invariant 5): a rate limit waits for the network's reset,
a refused token is refreshed once then the channel needs a person, a transient failure backs off
exponentially (capped, with a little jitter), a permanent one is written down in words and retried
rarely. Failed polls in a row are counted (``ChannelInbox.failures``) for the backoff and for the
channel's page; a success puts the count back to 0.
"""

from __future__ import annotations

import logging
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels import policy
from chorus.channels import services as channels
from chorus.channels.base import Capability, Connection, InboxPage
from chorus.channels.capabilities import CanReadInbox, capable
from chorus.channels.errors import ChannelError, Permanent
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.policy import call_network
from chorus.channels.registry import NETWORKS, get_network
from chorus.inbox import background
from chorus.inbox.ingest import IngestResult, ingest
from chorus.inbox.models import ChannelInbox

log = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 120
MIN_POLL_SECONDS = 30
BACKFILL_MAX_PAGES = 10  # the first poll reads at most this many pages of history
POLL_MAX_PAGES = 5  # a busy channel is drained over a few pages, then waits its turn
LEASE_SECONDS = 600  # a claimed poll that never finished may be claimed again after this
BACKOFF_CAP_SECONDS = 3600
# A retry comes up to a tenth of its delay early, at random: 500 channels of one server that
# failed together (the server was down) do not all come back in the same second.
BACKOFF_JITTER = 0.1
_jitter = random.Random()  # not for secrets: only spreads retries
PERMANENT_RETRY_SECONDS = 6 * 3600


@dataclass
class PollOutcome:
    result: IngestResult = field(default_factory=IngestResult)
    error: str = ""
    next_poll_at: datetime | None = None


def inbox_networks() -> list[str]:
    """Networks that can read an inbox (a connector that fails to import is left out)."""
    keys = []
    for key in NETWORKS:
        try:
            if get_network(key).can(Capability.INBOX):
                keys.append(key)
        except ImportError:
            log.warning("network %s could not be imported; its inboxes are not polled", key)
    return keys


def inbox_state(channel: Channel, due_at: datetime | None = None) -> ChannelInbox:
    """The channel's polling state, made on its first poll (due at once: it has a backfill)."""
    state, _created = ChannelInbox.objects.get_or_create(
        channel=channel,
        defaults={"workspace_id": channel.workspace_id, "next_poll_at": due_at or timezone.now()},
    )
    return state


def interval(state: ChannelInbox) -> timedelta:
    return timedelta(seconds=max(MIN_POLL_SECONDS, state.poll_every_seconds or 0))


def set_poll_every(channel: Channel, seconds: int) -> ChannelInbox:
    if seconds < MIN_POLL_SECONDS:
        message = _("Choose at least %(seconds)d seconds.") % {"seconds": MIN_POLL_SECONDS}
        raise ValidationError({"poll_every_seconds": message})
    state = inbox_state(channel)
    state.poll_every_seconds = seconds
    state.save(update_fields=["poll_every_seconds"])
    return state


# -- the minute's sweep ---------------------------------------------------------------------


def due_channel_ids(now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    due = Channel.objects.filter(status=ChannelStatus.ACTIVE, network__in=inbox_networks()).filter(
        Q(inbox__isnull=True) | Q(inbox__next_poll_at__lte=now)
    )
    return list(due.values_list("pk", flat=True))


def claim(channel_id: int, now: datetime | None = None) -> bool:
    """True for exactly one caller: the poll is leased until it reports back."""
    now = now or timezone.now()
    channel = Channel.objects.get(pk=channel_id)
    inbox_state(channel, due_at=now)
    lease = now + timedelta(seconds=LEASE_SECONDS)
    taken = ChannelInbox.objects.filter(channel_id=channel_id, next_poll_at__lte=now).update(
        next_poll_at=lease
    )
    return bool(taken)


def poll_due(enqueue: Callable[[int], object], now: datetime | None = None) -> int:
    """Hand every due channel to ``enqueue`` (one task each); how many were handed over."""
    handed = 0
    for channel_id in due_channel_ids(now):
        if claim(channel_id, now):
            enqueue(channel_id)
            handed += 1
    return handed


def poll_channel_now(channel: Channel) -> bool:
    """The "Check now" button: poll at once unless the channel cannot or must wait. Queued?"""
    if channel.status != ChannelStatus.ACTIVE or channel.network not in inbox_networks():
        return False
    if channel.is_waiting_for_rate_limit:
        return False
    inbox_state(channel)
    lease = timezone.now() + timedelta(seconds=LEASE_SECONDS)
    ChannelInbox.objects.filter(channel=channel).update(next_poll_at=lease)
    background.poll_channel(channel.pk)
    return True


# -- one channel's poll ---------------------------------------------------------------------


def poll_channel(channel: Channel, *, http: httpx.Client | None = None) -> PollOutcome:
    state = inbox_state(channel)
    if channel.status != ChannelStatus.ACTIVE:
        return PollOutcome(error=state.last_error)  # a person must reconnect it first
    if channel.is_waiting_for_rate_limit and channel.rate_limit_reset_at:
        return _later(state, channel.rate_limit_reset_at)  # publishing hit the limit: share it
    pushed_until = get_network(channel.network).steps.instead_of_polling(channel, http=http)
    if pushed_until is not None:  # the network pushes (Telegram's webhook): no poll now
        return _later(state, pushed_until)
    try:  # the one policy: refused credentials are refreshed once, errors noted on the channel
        result = call_network(
            channel, lambda connection: _read_new_pages(connection, channel, state), http=http
        )
    except ChannelError as error:
        return _failed(channel, state, error)
    return _succeeded(channel, state, result)


def _read_new_pages(connection: Connection, channel: Channel, state: ChannelInbox) -> IngestResult:
    """Page after page until nothing is new; the first poll of a channel is its backfill."""
    backfill = state.backfilled_at is None
    total = IngestResult()
    for _page in range(BACKFILL_MAX_PAGES if backfill else POLL_MAX_PAGES):
        before = state.cursor
        page: InboxPage = inbox_of(connection).fetch_inbox(before)
        with transaction.atomic():
            total += ingest(channel, page.items)
            _save_cursor(state, page.cursor or before)
        if not page.items or state.cursor == before:
            break
    if backfill:
        state.backfilled_at = timezone.now()
        state.save(update_fields=["backfilled_at"])
    return total


def inbox_of(connection: Connection) -> CanReadInbox:
    reader = capable(connection, CanReadInbox)
    if reader is None:  # the sweep only polls networks declaring INBOX: a connector's bug
        raise Permanent(f"{connection.network.label} cannot read an inbox.")
    return reader


def _save_cursor(state: ChannelInbox, cursor: str) -> None:
    state.cursor = cursor
    state.save(update_fields=["cursor"])


def _succeeded(channel: Channel, state: ChannelInbox, result: IngestResult) -> PollOutcome:
    now = timezone.now()
    state.last_polled_at, state.last_error, state.failures = now, "", 0
    state.next_poll_at = now + interval(state)
    state.save(update_fields=["last_polled_at", "last_error", "failures", "next_poll_at"])
    channels.record_success(channel)
    return PollOutcome(result=result, next_poll_at=state.next_poll_at)


def _later(state: ChannelInbox, when: datetime) -> PollOutcome:
    state.next_poll_at = when
    state.save(update_fields=["next_poll_at"])
    return PollOutcome(next_poll_at=when)


def _failed(channel: Channel, state: ChannelInbox, error: ChannelError) -> PollOutcome:
    """After the policy noted the error on the channel (and asked for a reconnect if refused
    credentials could not be refreshed): when to poll again."""
    now = timezone.now()
    wait = retry_delay(state, error)  # from the failures before this one
    said = channels.error_words(channel, error)
    state.last_polled_at, state.last_error = now, said
    state.failures += 1
    state.next_poll_at = now + wait
    state.save(update_fields=["last_polled_at", "last_error", "failures", "next_poll_at"])
    log.info("inbox poll of channel %s failed: %s", channel.pk, type(error).__name__)
    return PollOutcome(error=said, next_poll_at=state.next_poll_at)


def retry_delay(
    state: ChannelInbox, error: ChannelError, rng: random.Random | None = None
) -> timedelta:
    """How long to leave the channel alone after ``error``, ``state.failures`` failed polls
    in a row before it. The one policy classifies (reading is safe to repeat, and a poll never
    gives up); a retry keeps the channel's own pace rather than the publishing table, because
    a poll is due again anyway at that pace."""
    verdict = policy.decide(error, state.failures + 1, repeatable=True, max_attempts=sys.maxsize)
    if verdict.decision == policy.Decision.WAIT:
        return timedelta(seconds=max(1.0, verdict.wait))  # the network's own reset
    if verdict.decision == policy.Decision.FAIL:
        return timedelta(seconds=PERMANENT_RETRY_SECONDS)  # refused for good: look rarely
    if verdict.decision == policy.Decision.RECONNECT:
        return interval(state)  # the channel is out of the sweep until someone reconnects it
    # Transient (or anything unclassified): the usual pace after one failure, then twice as
    # long after each further one.
    return jittered(backoff(state), rng or _jitter)


def backoff(state: ChannelInbox) -> timedelta:
    """``interval * 2**failures``, capped (the exponent too: a channel down for months must
    not overflow a timedelta)."""
    doubled = interval(state).total_seconds() * 2 ** min(state.failures, 32)
    return timedelta(seconds=min(doubled, BACKOFF_CAP_SECONDS))


def jittered(delay: timedelta, rng: random.Random) -> timedelta:
    """Up to a tenth earlier than ``delay``, never later: the cap holds."""
    return delay * (1 - BACKOFF_JITTER * rng.random())


def poll_channel_by_id(channel_id: int) -> PollOutcome | None:
    channel = Channel.objects.select_related("workspace").filter(pk=channel_id).first()
    return poll_channel(channel) if channel is not None else None
