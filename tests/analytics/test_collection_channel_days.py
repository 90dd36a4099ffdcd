"""A channel's audience, day by day: read once a day, posts counted every hour, idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.standin_metrics import MetricsStandIn
from chorus.analytics.channel_days import record_channel_days
from chorus.analytics.models import ChannelDay
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace

from .conftest import published

PARIS = ZoneInfo("Europe/Paris")
NOON = datetime(2026, 12, 7, 12, 0, tzinfo=PARIS)


def test_a_day_is_recorded_once_and_its_posts_counted_every_hour(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    published(mastodon_a, "1", NOON - timedelta(hours=3))
    published(mastodon_a, "2", NOON - timedelta(hours=11, minutes=30))  # 00:30 in Paris
    published(mastodon_a, "3", NOON - timedelta(hours=12, minutes=30))  # the day before

    record_channel_days(NOON)
    network.network.followers = 1300
    published(mastodon_a, "4", NOON + timedelta(minutes=20))
    record_channel_days(NOON + timedelta(hours=1))

    day = ChannelDay.objects.get()
    assert day.day == NOON.date() and day.workspace_id == mastodon_a.workspace_id
    assert day.followers == 1200  # read once that day, not every hour
    assert day.posts_published == 3


def test_the_next_day_is_a_new_row(mastodon_a: Channel, network: MetricsStandIn) -> None:
    record_channel_days(NOON)
    network.network.followers = 1300

    record_channel_days(NOON + timedelta(days=1))

    assert [(d.day.day, d.followers) for d in ChannelDay.objects.order_by("day")] == [
        (7, 1200),
        (8, 1300),
    ]


def test_a_failed_read_is_tried_again_the_next_hour(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    Channel.objects.filter(pk=mastodon_a.pk).update(
        settings={"base_url": "http://127.0.0.1:9"}  # nothing listens there
    )
    record_channel_days(NOON)
    assert ChannelDay.objects.get().followers is None  # not available yet, never 0
    Channel.objects.filter(pk=mastodon_a.pk).update(settings={"base_url": network.root})

    record_channel_days(NOON + timedelta(hours=1))

    assert ChannelDay.objects.get().followers == 1200


def test_a_network_that_reads_nothing_still_counts_posts(workspace_a: Workspace) -> None:
    discord = Channel.objects.create(workspace=workspace_a, network="discord", remote_id="9")
    published(discord, "m1", NOON)

    record_channel_days(NOON)

    day = ChannelDay.objects.get(channel=discord)
    assert (day.followers, day.posts_published, day.extra) == (None, 1, {})
