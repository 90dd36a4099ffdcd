"""Reading published posts' figures on their schedule, and keeping every reading.

``track_new_publications`` finds what was published since the last run (publishing does not
know analytics exists) and schedules its reads. ``collect_due`` reads what is due, one
``collect_metrics`` call per channel, within a per-run budget and the channel's rate limit:
each read adds a :class:`PostSnapshot` (the history) and updates :class:`PostMetrics` (the
latest figures, which the dashboard reads). A post gone from the network is marked missing;
a failed read is retried with the one backoff table of the network-call policy, and the error
is on the row and, through the policy, on the channel's health page.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from django.db import connection, transaction
from django.utils import timezone

from chorus.analytics import schedule
from chorus.analytics.models import ChannelDay, PostMetrics, PostSnapshot
from chorus.analytics.network_figures import (
    audience,
    engagements,
    figures_of_network,
    row_figures,
)
from chorus.channels import services as channels
from chorus.channels.errors import ChannelError, RateLimited
from chorus.channels.metrics import MetricsReading, collect_metrics
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.policy import backoff_seconds
from chorus.publishing.models import PostTarget, State

log = logging.getLogger(__name__)

RUN_BUDGET = 2000  # posts read per run (a run every minute): the rest wait for the next one
TRACK_BATCH = 2000  # new publications scheduled per run
# Requests left to publishing and the inbox in the network's window: figures can wait.
RATE_LIMIT_RESERVE = 20
MAX_FAILURES = 6  # a read failing this often is skipped; the next one is still made
# Without a channel day for the publishing day, the audience read with the first figures stands
# for the audience at publishing, if that read came soon enough after it.
FOLLOWERS_STILL_CLOSE = timedelta(hours=2)
SAVED_FIELDS = (
    "likes shares replies quotes reactions views impressions reach clicks saves engagements "
    "followers_at_publish step next_read_at last_read_at failures last_error missing"
).split()


@dataclass
class CollectionRun:
    """What one run did, for the logs and the benchmark."""

    read: int = 0
    missing: int = 0
    failed: int = 0
    put_off: int = 0  # waiting for the network's rate limit to reset
    channels: int = 0


# -- scheduling what was published -----------------------------------------------------------


def track_new_publications(now: datetime | None = None, limit: int = TRACK_BATCH) -> int:
    """Schedule the reads of published variants that have no figures row yet; how many."""
    now = now or timezone.now()
    untracked = (
        PostTarget.objects.filter(
            state=State.PUBLISHED,
            published_at__gte=now - schedule.TRACKED_FOR,
            metrics__isnull=True,  # a LEFT JOIN on the metrics' unique target column
        )
        .exclude(remote_id="")
        .order_by("published_at")
        .values(
            "pk",
            "workspace_id",
            "channel_id",
            "published_at",
            "channel__network",
            "workspace__timezone",
        )[:limit]
    )
    found: list[dict[str, Any]] = [dict(target) for target in untracked]
    followers = _followers_on_publishing_day(found)
    rows = [_new_row(target, followers) for target in found]
    PostMetrics.objects.bulk_create(rows, ignore_conflicts=True)  # another run may race us
    return len(rows)


def local_day(moment: datetime, zone: str) -> date:
    return timezone.localtime(moment, ZoneInfo(zone)).date()


def _followers_on_publishing_day(found: list[dict[str, Any]]) -> dict[tuple[int, date], int]:
    """The audience each channel had on the day of each post, where a day was recorded."""
    days = {local_day(t["published_at"], t["workspace__timezone"]) for t in found}
    recorded = ChannelDay.objects.filter(
        channel_id__in={t["channel_id"] for t in found}, day__in=days, followers__isnull=False
    ).values_list("channel_id", "day", "followers")
    return {
        (channel, day): followers for channel, day, followers in recorded if followers is not None
    }


def _new_row(target: dict[str, Any], followers: dict[tuple[int, date], int]) -> PostMetrics:
    network = target["channel__network"]
    published_at = target["published_at"]
    day = local_day(published_at, target["workspace__timezone"])
    reads = figures_of_network(network).reads_posts  # else a row that says "not available"
    return PostMetrics(
        workspace_id=target["workspace_id"],
        target_id=target["pk"],
        channel_id=target["channel_id"],
        network=network,
        published_at=published_at,
        followers_at_publish=followers.get((target["channel_id"], day)),
        next_read_at=schedule.read_at(published_at, target["pk"], 0) if reads else None,
    )


# -- reading what is due -----------------------------------------------------------------------


def collect_due(
    now: datetime | None = None, *, budget: int = RUN_BUDGET, http: httpx.Client | None = None
) -> CollectionRun:
    """Read the figures of posts whose read is due, channel by channel (``http``: tests')."""
    now = now or timezone.now()
    due = list(
        PostMetrics.objects.filter(next_read_at__lte=now, channel__status=ChannelStatus.ACTIVE)
        .exclude(channel__rate_limit_reset_at__gt=now)  # waiting for the network: not now
        .order_by("next_read_at")[:budget]
    )
    remote_ids = dict(
        PostTarget.objects.filter(pk__in=[row.target_id for row in due]).values_list(
            "pk", "remote_id"
        )
    )
    by_channel: dict[int, list[PostMetrics]] = defaultdict(list)
    for row in due:
        by_channel[row.channel_id].append(row)
    run = CollectionRun()
    for channel in Channel.objects.filter(pk__in=by_channel):
        run.channels += 1
        rows = by_channel[channel.pk][: allowance(channel, now)]  # the rest: next run
        _collect_channel(channel, rows, remote_ids, now, run, http)
    return run


def allowance(channel: Channel, now: datetime) -> int:
    """How many posts of the channel may be read now, leaving requests to publishing."""
    remaining = channel.rate_limit_remaining
    if remaining is None:
        return RUN_BUDGET
    if channel.rate_limit_reset_at is not None and channel.rate_limit_reset_at <= now:
        return RUN_BUDGET  # the window has filled up again since
    # At least one, so a budget last seen long ago is looked at again rather than trusted.
    return max(1, remaining - RATE_LIMIT_RESERVE)


def _collect_channel(
    channel: Channel,
    rows: list[PostMetrics],
    remote_ids: dict[int, str],
    now: datetime,
    run: CollectionRun,
    http: httpx.Client | None,
) -> None:
    try:
        reading = collect_metrics(channel, [remote_ids[r.target_id] for r in rows], http=http)
    except RateLimited as error:
        until = channel.rate_limit_reset_at or now + timedelta(seconds=error.retry_after)
        _save(_put_off(rows, until))
        run.put_off += len(rows)
    except ChannelError as error:  # noted on the channel's health by the policy
        _save(_failed(rows, channels.error_words(channel, error), now))
        run.failed += len(rows)
    except Exception:  # a bug reading one channel must not stop the others
        log.exception("reading the figures of channel %s failed", channel.pk)
        _save(_failed(rows, "Chorus could not read the figures (an error of its own).", now))
        run.failed += len(rows)
    else:
        _note_budget(channel, reading)
        _store(channel, rows, remote_ids, reading, now, run)


def _note_budget(channel: Channel, reading: MetricsReading) -> None:
    channels.record_success(channel)
    if reading.rate_limit is not None:
        channels.record_rate_limit(
            channel, reading.rate_limit.remaining, reading.rate_limit.reset_at
        )


def _store(
    channel: Channel,
    rows: list[PostMetrics],
    remote_ids: dict[int, str],
    reading: MetricsReading,
    now: datetime,
    run: CollectionRun,
) -> None:
    snapshots: list[PostSnapshot] = []
    gone = set(reading.missing)
    for row in rows:
        remote_id = remote_ids[row.target_id]
        figures = reading.posts.get(remote_id)
        if figures is not None:
            snapshots.append(_read(row, channel.network, figures, reading.account, now))
            run.read += 1
        else:
            # Gone from the network (or hidden from us): not an error, and nothing to read.
            row.missing = remote_id in gone
            row.next_read_at = None
            row.last_read_at = now
            run.missing += int(row.missing)
    with transaction.atomic():
        PostSnapshot.objects.bulk_create(snapshots)
        _save(rows)


def _read(
    row: PostMetrics, network: str, reading: dict[str, int], account: dict[str, int], now: datetime
) -> PostSnapshot:
    """Take one post's reading as its latest figures and move it along the schedule."""
    figures = row_figures(network, reading)
    for name, value in figures.items():
        setattr(row, name, value)
    row.engagements = engagements(network, figures)
    if row.followers_at_publish is None and now - row.published_at <= FOLLOWERS_STILL_CLOSE:
        row.followers_at_publish = audience(account)  # the audience barely moved since
    row.step = schedule.step_after_read(row.published_at, now, row.step)
    row.next_read_at = schedule.read_at(row.published_at, row.target_id, row.step)
    row.last_read_at = now
    row.failures, row.last_error = 0, ""
    age = max(0, int((now - row.published_at).total_seconds() // 3600))
    return PostSnapshot(
        workspace_id=row.workspace_id,
        target_id=row.target_id,
        taken_at=now,
        age_hours=age,
        **figures,
    )


def _put_off(rows: Iterable[PostMetrics], until: datetime) -> list[PostMetrics]:
    """The network asked to wait: read again after its reset, spread, without a failure."""
    rows = list(rows)
    for row in rows:
        row.next_read_at = until + schedule.jitter(row.target_id, row.step) / 10
    return rows


def _failed(rows: Iterable[PostMetrics], words: str, now: datetime) -> list[PostMetrics]:
    """Retry after the policy's backoff; a read failing too often is skipped, not the next."""
    rows = list(rows)
    for row in rows:
        row.failures += 1
        row.last_error = words
        if row.failures >= MAX_FAILURES:
            row.step = schedule.step_after_read(row.published_at, now, row.step)
            row.next_read_at = schedule.read_at(row.published_at, row.target_id, row.step)
            row.failures = 0  # the error stays on the row until a read works
        else:
            row.next_read_at = now + timedelta(seconds=backoff_seconds(row.failures))
    return rows


def _save(rows: list[PostMetrics]) -> None:
    """One UPDATE per row, sent as one batch: ``bulk_update`` builds a CASE WHEN per field and
    row, and cost twice the reads themselves (measured with ``bench/analytics.py``)."""
    if not rows:
        return
    fields = [f for f in PostMetrics._meta.concrete_fields if f.name in SAVED_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    table = quote(PostMetrics._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 - our own names
    values = [
        [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields] + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
