"""Each read keeps a snapshot, updates the latest figures and moves along the schedule."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bench.standin_metrics import MetricsStandIn
from chorus.analytics import schedule
from chorus.analytics.collection import collect_due, track_new_publications
from chorus.analytics.models import PostMetrics, PostSnapshot
from chorus.channels.models import Channel
from chorus.publishing.models import PostTarget

from .conftest import published

COUNTS = {"favourites_count": 5, "reblogs_count": 2, "replies_count": 1, "quotes_count": 1}


def _tracked(channel: Channel, remote_id: str, at: datetime) -> PostTarget:
    target = published(channel, remote_id, at)
    track_new_publications(now=at)
    return target


def test_the_first_read_keeps_a_snapshot_and_the_latest_figures(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    at = timezone.now() - timedelta(hours=1, minutes=10)
    network.network.counts["101"] = COUNTS
    target = _tracked(mastodon_a, "101", at)

    run = collect_due()

    assert run.read == 1
    snapshot = PostSnapshot.objects.get(target=target)
    assert (snapshot.likes, snapshot.shares, snapshot.replies, snapshot.quotes) == (5, 2, 1, 1)
    assert snapshot.views is None and snapshot.reach is None  # Mastodon gives none: not 0
    assert snapshot.age_hours == 1 and snapshot.workspace_id == mastodon_a.workspace_id
    row = PostMetrics.objects.get(target=target)
    assert (row.likes, row.shares, row.replies, row.quotes, row.views) == (5, 2, 1, 1, None)
    assert row.engagements == 9
    assert row.followers_at_publish == network.network.followers
    assert row.step == 1
    assert row.next_read_at == schedule.read_at(at, target.pk, 1)
    assert row.next_read_at > at + timedelta(hours=6) - timedelta(seconds=1)


def test_each_read_adds_to_the_history(mastodon_a: Channel, network: MetricsStandIn) -> None:
    at = timezone.now() - timedelta(hours=7)
    network.network.counts["101"] = COUNTS
    target = _tracked(mastodon_a, "101", at)
    collect_due(now=at + timedelta(hours=1, minutes=10))
    network.network.counts["101"] = {**COUNTS, "favourites_count": 40}

    collect_due(now=at + timedelta(hours=6, minutes=10))

    history = list(PostSnapshot.objects.filter(target=target).order_by("taken_at"))
    assert [s.likes for s in history] == [5, 40]
    assert [s.age_hours for s in history] == [1, 6]
    row = PostMetrics.objects.get(target=target)
    assert row.likes == 40 and row.engagements == 44 and row.step == 2


def test_a_read_not_yet_due_is_not_made(mastodon_a: Channel, network: MetricsStandIn) -> None:
    at = timezone.now() - timedelta(minutes=30)
    _tracked(mastodon_a, "101", at)

    assert collect_due().read == 0
    assert network.network.requests == 0


def test_a_late_read_stands_for_the_steps_that_passed(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    at = timezone.now() - timedelta(days=4)
    target = _tracked(mastodon_a, "101", at)

    collect_due()

    row = PostMetrics.objects.get(target=target)
    assert row.step == 4  # 1 h, 6 h, 24 h and 3 d have passed: next is 7 d
    assert row.next_read_at == schedule.read_at(at, target.pk, 4)
    assert PostSnapshot.objects.filter(target=target).count() == 1
    assert row.followers_at_publish is None  # read days later: not the audience at publishing


def test_the_last_read_ends_the_schedule(mastodon_a: Channel, network: MetricsStandIn) -> None:
    at = timezone.now() - timedelta(days=30, hours=1)
    target = _tracked(mastodon_a, "101", at)
    PostMetrics.objects.filter(target=target).update(step=5)

    collect_due()
    requests = network.network.requests
    collect_due(now=timezone.now() + timedelta(days=60))

    row = PostMetrics.objects.get(target=target)
    assert row.step == 6 and row.next_read_at is None and row.last_read_at is not None
    assert network.network.requests == requests  # done: never read again


def test_one_call_per_channel_reads_all_its_due_posts(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    at = timezone.now() - timedelta(hours=2)
    for number in range(5):
        _tracked(mastodon_a, str(200 + number), at)

    run = collect_due()

    assert (run.read, run.channels) == (5, 1)
    assert PostSnapshot.objects.count() == 5
    assert not PostMetrics.objects.filter(step=0).exists()
