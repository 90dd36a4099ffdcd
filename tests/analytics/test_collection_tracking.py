"""New publications get a figures row and their first read an hour later, spread out."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from chorus.analytics import schedule
from chorus.analytics.collection import track_new_publications
from chorus.analytics.models import ChannelDay, PostMetrics
from chorus.channels.models import Channel
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace

from .conftest import published


def test_a_published_variant_is_first_read_an_hour_after(mastodon_a: Channel) -> None:
    at = timezone.now() - timedelta(minutes=5)
    target = published(mastodon_a, "101", at)

    assert track_new_publications() == 1

    row = PostMetrics.objects.get(target=target)
    assert (row.workspace_id, row.channel_id, row.network) == (
        mastodon_a.workspace_id,
        mastodon_a.pk,
        "mastodon",
    )
    assert row.step == 0 and row.published_at == at
    assert at + timedelta(hours=1) <= row.next_read_at <= at + timedelta(hours=1, minutes=6)
    assert row.likes is None and row.engagements is None  # nothing read yet: not 0


def test_drafts_and_tracked_variants_are_left_alone(mastodon_a: Channel) -> None:
    published(mastodon_a, "101", timezone.now())
    draft = Post.objects.create(workspace=mastodon_a.workspace, text="Later")
    PostTarget.objects.create(
        workspace=mastodon_a.workspace, post=draft, channel=mastodon_a, state=State.SCHEDULED
    )

    assert track_new_publications() == 1
    assert track_new_publications() == 0
    assert PostMetrics.objects.count() == 1


def test_posts_published_before_the_last_read_are_not_scheduled(mastodon_a: Channel) -> None:
    published(mastodon_a, "101", timezone.now() - schedule.TRACKED_FOR - timedelta(hours=1))

    assert track_new_publications() == 0


def test_followers_at_publishing_come_from_that_days_audience(mastodon_a: Channel) -> None:
    # 23:30 UTC is already the next day in Paris, the workspace's time zone: that day counts.
    at = timezone.now().replace(hour=23, minute=30) - timedelta(days=1)
    paris_day = timezone.localtime(at, ZoneInfo("Europe/Paris")).date()
    for day, followers in ((paris_day, 900), (paris_day - timedelta(days=1), 1)):
        ChannelDay.objects.create(
            workspace=mastodon_a.workspace, channel=mastodon_a, day=day, followers=followers
        )
    target = published(mastodon_a, "101", at)

    track_new_publications()

    assert PostMetrics.objects.get(target=target).followers_at_publish == 900


def test_a_network_without_post_figures_gets_a_row_and_no_reads(workspace_a: Workspace) -> None:
    telegram = Channel.objects.create(workspace=workspace_a, network="telegram", remote_id="-1")
    target = published(telegram, "-1:5", timezone.now())

    track_new_publications()

    row = PostMetrics.objects.get(target=target)
    assert row.next_read_at is None and row.likes is None


def test_posts_published_together_are_read_spread_out() -> None:
    at = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)

    first_reads = [schedule.read_at(at, target_id, 0) for target_id in range(1, 1001)]

    assert all(
        at + timedelta(hours=1) <= t <= at + timedelta(hours=1, minutes=6)
        for t in first_reads
        if t is not None
    )
    assert len(set(first_reads)) > 300  # spread over the six minutes, not one instant
    assert schedule.read_at(at, 7, 0) == schedule.read_at(at, 7, 0)  # steady for one post
