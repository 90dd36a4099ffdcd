"""Audience growth (from ChannelDay) and publishing rhythm (from PostMetrics) over a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Sum

from chorus.analytics.figures_posts import follower_counts, published_in
from chorus.analytics.local_days import count_by_day
from chorus.analytics.models import ChannelDay
from chorus.analytics.periods import Period
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace


@dataclass(frozen=True)
class ChannelAudience:
    """One channel's followers (members, for a room or chat) over the period."""

    channel_id: int
    name: str
    network: str
    at_start: int | None
    at_end: int | None
    daily: tuple[tuple[date, int | None], ...]  # every day of the period; None: no count

    @property
    def change(self) -> int | None:
        if self.at_start is None or self.at_end is None:
            return None
        return self.at_end - self.at_start


def audience(workspace: Workspace, period: Period) -> list[ChannelAudience]:
    """Per channel of the workspace: followers at the start and end, and each day's count."""
    counts = {c.channel_id: c for c in follower_counts(workspace, period)}
    daily: dict[int, dict[date, int | None]] = {}
    rows = ChannelDay.objects.filter(
        workspace=workspace, day__gte=period.start, day__lte=period.end
    ).values_list("channel_id", "day", "followers")
    for channel_id, day, followers in rows:
        daily.setdefault(channel_id, {})[day] = followers
    days = period.each_day()
    channels = Channel.objects.filter(workspace=workspace).order_by("name", "pk")
    return [
        ChannelAudience(
            channel_id=channel.pk,
            name=channel.name,
            network=channel.network,
            at_start=counts[channel.pk].at_start if channel.pk in counts else None,
            at_end=counts[channel.pk].at_end if channel.pk in counts else None,
            daily=tuple((day, daily.get(channel.pk, {}).get(day)) for day in days),
        )
        for channel in channels
    ]


def followers_by_day(workspace: Workspace, period: Period) -> list[tuple[date, int | None]]:
    """All channels' followers added up per day (days without any count: None)."""
    totals = dict(
        ChannelDay.objects.filter(
            workspace=workspace,
            day__gte=period.start,
            day__lte=period.end,
            followers__isnull=False,
        )
        .values("day")
        .annotate(total=Sum("followers"))
        .values_list("day", "total")
    )
    return [(day, totals.get(day)) for day in period.each_day()]


@dataclass(frozen=True)
class Publishing:
    """How many posts went out, per channel and per day (of the workspace's calendar)."""

    per_channel: tuple[tuple[int, str, int], ...]  # (channel id, name, posts)
    per_day: tuple[tuple[date, int], ...]  # every day of the period, 0 included

    @property
    def total(self) -> int:
        return sum(posts for _, _, posts in self.per_channel)


def publishing(workspace: Workspace, period: Period) -> Publishing:
    by_channel = (
        published_in(workspace, period)
        .values("channel_id", "channel__name")
        .annotate(n=Count("id"))
        .order_by("-n", "channel__name")
    )
    return Publishing(
        per_channel=tuple((r["channel_id"], r["channel__name"], r["n"]) for r in by_channel),
        per_day=posts_per_day(workspace, period),
    )


def posts_per_day(workspace: Workspace, period: Period) -> tuple[tuple[date, int], ...]:
    """Posts per day of the workspace's calendar, every day of the period (0 included)."""
    found = count_by_day(published_in(workspace, period), "published_at", workspace.timezone)
    return tuple((day, found.get((day, ""), 0)) for day in period.each_day())
