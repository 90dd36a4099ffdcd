"""The periodic tasks do the work: the minute's run tracks and reads, the hourly one records."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bench.standin_metrics import MetricsStandIn
from chorus.analytics.models import ChannelDay, PostMetrics, PostSnapshot
from chorus.analytics.tasks import collect_figures_task, record_channel_days_task
from chorus.channels.models import Channel

from .conftest import published


def test_the_minutes_run_tracks_new_posts_and_reads_due_ones(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    due = published(mastodon_a, "101", timezone.now() - timedelta(hours=1, minutes=10))
    fresh = published(mastodon_a, "102", timezone.now())

    collect_figures_task()

    assert PostMetrics.objects.count() == 2
    assert PostMetrics.objects.get(target=due).step == 1
    assert PostMetrics.objects.get(target=fresh).step == 0
    assert list(PostSnapshot.objects.values_list("target_id", flat=True)) == [due.pk]


def test_the_hourly_run_records_the_channels_day(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    record_channel_days_task()
    record_channel_days_task()

    assert ChannelDay.objects.get(channel=mastodon_a).followers == network.network.followers
