"""Gone posts, failed reads, rate limits and budgets: nothing lost, nothing hammered."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bench.standin_metrics import MetricsStandIn
from chorus.analytics.collection import MAX_FAILURES, collect_due, track_new_publications
from chorus.analytics.models import PostMetrics, PostSnapshot
from chorus.channels.health import health_of
from chorus.channels.models import Channel

from .conftest import published


def _due(channel: Channel, *remote_ids: str) -> None:
    at = timezone.now() - timedelta(hours=1, minutes=10)
    for remote_id in remote_ids:
        published(channel, remote_id, at)
    track_new_publications()


def test_a_post_gone_from_the_network_is_missing_not_an_error(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    network.network.gone.add("101")
    _due(mastodon_a, "101", "102")

    run = collect_due()

    gone = PostMetrics.objects.get(target__remote_id="101")
    assert gone.missing and gone.next_read_at is None
    assert (gone.failures, gone.last_error) == (0, "")
    assert (run.read, run.missing, run.failed) == (1, 1, 0)
    assert not PostMetrics.objects.get(target__remote_id="102").missing


def test_a_failed_read_is_retried_after_a_backoff_and_shown_on_the_channel(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    network.network.forced = ["500"]
    _due(mastodon_a, "101")
    before = timezone.now()

    run = collect_due()

    row = PostMetrics.objects.get()
    assert run.failed == 1 and row.failures == 1 and row.step == 0
    assert row.last_error
    assert (
        before + timedelta(seconds=2) <= row.next_read_at <= timezone.now() + timedelta(seconds=2)
    )
    mastodon_a.refresh_from_db()
    health = health_of(mastodon_a)
    assert health.level == "warning" and health.last_error

    collect_due(now=timezone.now() + timedelta(seconds=3))  # the retry works

    row.refresh_from_db()
    assert (row.failures, row.last_error, row.step) == (0, "", 1)
    assert PostSnapshot.objects.count() == 1


def test_a_read_failing_too_often_is_skipped_not_the_next(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    _due(mastodon_a, "101")
    PostMetrics.objects.update(failures=MAX_FAILURES - 1)
    network.network.forced = ["500"]

    collect_due()

    row = PostMetrics.objects.get()
    assert row.step == 1 and row.next_read_at is not None
    assert row.last_error  # kept until a read works
    assert not PostSnapshot.objects.exists()


def test_a_rate_limit_puts_the_reads_off_until_the_networks_reset(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    network.network.forced = ["429"]
    network.network.retry_after_s = 120
    _due(mastodon_a, "101", "102")

    run = collect_due()

    mastodon_a.refresh_from_db()
    assert mastodon_a.rate_limit_reset_at is not None
    assert mastodon_a.rate_limit_reset_at > timezone.now() + timedelta(seconds=100)
    assert run.put_off == 2
    for row in PostMetrics.objects.all():
        assert row.failures == 0  # waiting is not failing
        assert row.next_read_at >= mastodon_a.rate_limit_reset_at
    requests = network.network.requests

    collect_due(now=timezone.now() + timedelta(seconds=60))  # still inside the wait

    assert network.network.requests == requests


def test_a_channel_short_of_requests_reads_only_what_it_may(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    Channel.objects.filter(pk=mastodon_a.pk).update(rate_limit_remaining=22)
    _due(mastodon_a, *[str(300 + n) for n in range(5)])

    run = collect_due()

    assert run.read == 2  # 22 left, 20 kept for publishing and the inbox
    assert PostMetrics.objects.filter(step=0).count() == 3  # still due, next run
    mastodon_a.refresh_from_db()
    assert mastodon_a.rate_limit_remaining == network.network.remaining  # as last answered


def test_a_run_reads_no_more_than_its_budget(mastodon_a: Channel, network: MetricsStandIn) -> None:
    _due(mastodon_a, *[str(400 + n) for n in range(5)])

    assert collect_due(budget=3).read == 3
    assert collect_due(budget=3).read == 2


def test_a_channel_needing_reconnection_is_not_read(
    mastodon_a: Channel, network: MetricsStandIn
) -> None:
    _due(mastodon_a, "101")
    Channel.objects.filter(pk=mastodon_a.pk).update(status="needs_reconnect")

    assert collect_due().channels == 0
    assert network.network.requests == 0
