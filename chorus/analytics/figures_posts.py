"""Figures of published posts over a period: overview, per channel, top and bottom posts.

Everything is computed by the database (one aggregate per period), from PostMetrics: one row per
published variant with its latest figures. NULL means the network does not give that figure; a
sum over nothing but NULLs stays None ("not available"), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, FloatField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf

from chorus.analytics.glossary import PER_FOLLOWER, PER_IMPRESSION, PER_REACH
from chorus.analytics.models import POST_FIGURES, ChannelDay, PostMetrics
from chorus.analytics.periods import Period
from chorus.channels.models import Channel
from chorus.workspaces.models import Workspace

SEEN = Coalesce("impressions", "views")  # a network counts one or the other


@dataclass(frozen=True)
class Rate:
    """numerator ÷ denominator, with the formula that says what they are."""

    value: float
    numerator: int
    denominator: int
    formula_id: str

    @property
    def percent(self) -> float:
        return self.value * 100


def rate(numerator: int | None, denominator: int | None, formula_id: str) -> Rate | None:
    if numerator is None or not denominator:
        return None
    return Rate(numerator / denominator, numerator, denominator, formula_id)


@dataclass(frozen=True)
class Figure:
    """A figure, the previous period's, and the change between them (computed, or None)."""

    value: int | None
    previous: int | None

    @property
    def change(self) -> float | None:
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / self.previous


@dataclass(frozen=True)
class RateFigure:
    """A rate and the previous period's; the change is in percentage points."""

    formula_id: str
    rate: Rate | None
    previous: Rate | None

    @property
    def change(self) -> float | None:
        if self.rate is None or self.previous is None:
            return None
        return (self.rate.value - self.previous.value) * 100


@dataclass(frozen=True)
class Overview:
    period: Period
    previous_period: Period
    posts: Figure
    engagements: Figure
    impressions: Figure
    reach: Figure
    followers_gained: Figure
    rates: tuple[RateFigure, RateFigure, RateFigure]


def published_in(workspace: Workspace, period: Period) -> QuerySet[PostMetrics]:
    first, after = period.bounds(workspace.timezone)
    return PostMetrics.objects.filter(
        workspace=workspace, published_at__gte=first, published_at__lt=after
    )


def _totals() -> dict[str, Any]:
    """The aggregate expressions behind the overview and the per-channel table."""
    has_engagements = Q(engagements__isnull=False)
    seen = has_engagements & (Q(impressions__isnull=False) | Q(views__isnull=False))
    reached = has_engagements & Q(reach__isnull=False)
    followed = has_engagements & Q(followers_at_publish__gt=0)
    return {
        "n_posts": Count("id"),
        "n_engagements": Sum("engagements"),
        "n_impressions": Sum(SEEN),
        "n_reach": Sum("reach"),
        "eng_seen": Sum("engagements", filter=seen),
        "seen": Sum(SEEN, filter=seen),
        "eng_reached": Sum("engagements", filter=reached),
        "reached": Sum("reach", filter=reached),
        "eng_followed": Sum("engagements", filter=followed),
        "followed": Sum("followers_at_publish", filter=followed),
    }


def _rates(row: dict[str, Any]) -> tuple[Rate | None, Rate | None, Rate | None]:
    return (
        rate(row["eng_seen"], row["seen"], PER_IMPRESSION),
        rate(row["eng_reached"], row["reached"], PER_REACH),
        rate(row["eng_followed"], row["followed"], PER_FOLLOWER),
    )


def _period_totals(workspace: Workspace, period: Period) -> dict[str, Any]:
    row = published_in(workspace, period).aggregate(**_totals())
    if not row["n_posts"]:
        row["n_engagements"] = 0  # no post: nothing to engage with, a true 0
    return row


def overview(workspace: Workspace, period: Period) -> Overview:
    """The period's headline figures beside the previous period's."""
    previous = period.previous()
    now, before = _period_totals(workspace, period), _period_totals(workspace, previous)
    gained = followers_gained(workspace, period), followers_gained(workspace, previous)
    rates_now, rates_before = _rates(now), _rates(before)
    ids = (PER_IMPRESSION, PER_REACH, PER_FOLLOWER)
    return Overview(
        period=period,
        previous_period=previous,
        posts=Figure(now["n_posts"], before["n_posts"]),
        engagements=Figure(now["n_engagements"], before["n_engagements"]),
        impressions=Figure(now["n_impressions"], before["n_impressions"]),
        reach=Figure(now["n_reach"], before["n_reach"]),
        followers_gained=Figure(*gained),
        rates=(
            RateFigure(ids[0], rates_now[0], rates_before[0]),
            RateFigure(ids[1], rates_now[1], rates_before[1]),
            RateFigure(ids[2], rates_now[2], rates_before[2]),
        ),
    )


def followers_gained(workspace: Workspace, period: Period) -> int | None:
    """Sum over channels of (last count in the period − count just before it); None: no counts."""
    changes = [c.change for c in follower_counts(workspace, period) if c.change is not None]
    return sum(changes) if changes else None


@dataclass(frozen=True)
class FollowerCount:
    channel_id: int
    at_start: int | None
    at_end: int | None

    @property
    def change(self) -> int | None:
        if self.at_start is None or self.at_end is None:
            return None
        return self.at_end - self.at_start


def follower_counts(workspace: Workspace, period: Period) -> list[FollowerCount]:
    """Per channel: followers the day before the period (else its first count), and the last."""
    days = ChannelDay.objects.filter(channel=OuterRef("pk"), followers__isnull=False)
    before = days.filter(day__lt=period.start).order_by("-day").values("followers")[:1]
    first = days.filter(day__gte=period.start, day__lte=period.end).order_by("day")
    last = days.filter(day__gte=period.start, day__lte=period.end).order_by("-day")
    rows = (
        Channel.objects.filter(workspace=workspace)
        .annotate(
            before=Subquery(before),
            first=Subquery(first.values("followers")[:1]),
            last=Subquery(last.values("followers")[:1]),
        )
        .values("pk", "before", "first", "last")
        .order_by("pk")
    )
    return [
        FollowerCount(r["pk"], r["before"] if r["before"] is not None else r["first"], r["last"])
        for r in rows
    ]


@dataclass(frozen=True)
class ChannelFigures:
    channel_id: int
    name: str
    network: str
    posts: int
    engagements: int | None
    impressions: int | None
    reach: int | None
    rates: tuple[Rate | None, Rate | None, Rate | None]


def per_channel(workspace: Workspace, period: Period) -> list[ChannelFigures]:
    """One row per channel that published in the period, most engagements first."""
    rows = (
        published_in(workspace, period)
        .values("channel_id", "channel__name", "channel__network")
        .annotate(**_totals())
        .order_by(F("n_engagements").desc(nulls_last=True), "channel__name")
    )
    return [
        ChannelFigures(
            channel_id=r["channel_id"],
            name=r["channel__name"],
            network=r["channel__network"],
            posts=r["n_posts"],
            engagements=r["n_engagements"],
            impressions=r["n_impressions"],
            reach=r["n_reach"],
            rates=_rates(r),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class PostFigures:
    """One published variant's latest figures (None: the network does not give it)."""

    target_id: int
    post_id: int
    channel_id: int
    channel_name: str
    network: str
    published_at: datetime
    text: str
    url: str
    engagements: int | None
    followers_at_publish: int | None
    counts: dict[str, int | None]
    rates: tuple[Rate | None, Rate | None, Rate | None]
    missing: bool


def _float(expression: Any) -> Any:
    return Cast(expression, FloatField())


def _per(denominator: Any) -> Any:
    """engagements ÷ denominator; a 0 denominator gives NULL (sorted last), not an error."""
    return _float("engagements") / _float(NullIf(denominator, Value(0)))


# What the top-posts table may be sorted by; the rate orders divide in the database.
ORDERS: dict[str, Any] = {
    "engagements": F("engagements"),
    "published_at": F("published_at"),
    "likes": F("likes"),
    "shares": F("shares"),
    "replies": F("replies"),
    "impressions": SEEN,
    "reach": F("reach"),
    PER_IMPRESSION: _per(SEEN),
    PER_REACH: _per(F("reach")),
    PER_FOLLOWER: _per(F("followers_at_publish")),
}


def top_posts(
    workspace: Workspace,
    period: Period,
    order_by: str = "engagements",
    limit: int = 10,
    worst: bool = False,
) -> list[PostFigures]:
    """The best (or worst) posts of the period; posts without the figure come last either way."""
    if order_by not in ORDERS:
        raise ValueError(f"Unknown order: {order_by}")
    key = ORDERS[order_by]
    direction = key.asc(nulls_last=True) if worst else key.desc(nulls_last=True)
    rows = (
        published_in(workspace, period)
        .select_related("target__post", "channel")
        .order_by(direction, "-published_at", "pk")[:limit]
    )
    return [post_figures(row) for row in rows]


def post_figures(row: PostMetrics) -> PostFigures:
    seen = row.impressions if row.impressions is not None else row.views
    engaged = row.engagements
    return PostFigures(
        target_id=row.target_id,
        post_id=row.target.post_id,
        channel_id=row.channel_id,
        channel_name=row.channel.name,
        network=row.network,
        published_at=row.published_at,
        text=row.target.text or row.target.post.text,
        url=row.target.remote_url,
        engagements=engaged,
        followers_at_publish=row.followers_at_publish,
        counts={name: getattr(row, name) for name in POST_FIGURES},
        rates=(
            rate(engaged, seen, PER_IMPRESSION),
            rate(engaged, row.reach, PER_REACH),
            rate(engaged, row.followers_at_publish, PER_FOLLOWER),
        ),
        missing=row.missing,
    )
