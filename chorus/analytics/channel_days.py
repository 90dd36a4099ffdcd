"""Each channel's audience, day by day: followers or members, posts published, and whatever
other audience figures the network gives (in ``extra``).

Run every hour and idempotent: the network is asked once a day per channel (again only if
that read failed), the count of posts published is refreshed from the database every time.
A day is the workspace's own, in its time zone.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.utils import timezone

from chorus.analytics.models import ChannelDay
from chorus.analytics.network_figures import AUDIENCE_FIGURES, audience, figures_of_network
from chorus.channels.errors import ChannelError
from chorus.channels.metrics import collect_metrics
from chorus.channels.models import Channel, ChannelStatus
from chorus.publishing.models import PostTarget

log = logging.getLogger(__name__)


def record_channel_days(now: datetime | None = None, *, http: httpx.Client | None = None) -> int:
    """Record today (each workspace's today) for every active channel; how many channels."""
    now = now or timezone.now()
    channels = Channel.objects.filter(status=ChannelStatus.ACTIVE).select_related("workspace")
    for channel in channels:
        record_channel_day(
            channel, timezone.localdate(now, ZoneInfo(channel.workspace.timezone)), http=http
        )
    return len(channels)


def record_channel_day(
    channel: Channel, day: date, *, http: httpx.Client | None = None
) -> ChannelDay:
    row, _ = ChannelDay.objects.get_or_create(
        channel=channel, day=day, defaults={"workspace_id": channel.workspace_id}
    )
    row.posts_published = posts_published_on(channel, day)
    if row.followers is None and figures_of_network(channel.network).account_figures:
        _read_audience(channel, row, http)
    row.save(update_fields=["posts_published", "followers", "extra"])
    return row


def _read_audience(channel: Channel, row: ChannelDay, http: httpx.Client | None) -> None:
    try:
        account = collect_metrics(channel, (), http=http).account
    except ChannelError:  # noted on the channel's health by the policy; next hour again
        log.info("channel %s: audience not read today yet", channel.pk)
        return
    row.followers = audience(account)
    row.extra = {
        **row.extra,
        **{name: value for name, value in account.items() if name not in AUDIENCE_FIGURES},
    }


def posts_published_on(channel: Channel, day: date) -> int:
    """Variants that went out on the channel that day (deleted later or not)."""
    zone = ZoneInfo(channel.workspace.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return PostTarget.objects.filter(
        channel=channel, published_at__gte=start, published_at__lt=end
    ).count()
