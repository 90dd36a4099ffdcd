"""Best time to post, from the workspace's own history: engagement by hour of the week.

Each slot (weekday, hour, in the workspace's time zone) gets the median engagements of the posts
published in it over the last weeks. Too little history and the page says so instead of guessing.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.analytics.models import PostMetrics
from chorus.workspaces.models import Workspace

MIN_POSTS = 30  # below this many posts in the weeks looked at, no slot is worth suggesting
MIN_POSTS_PER_SLOT = 3  # a slot with fewer posts is shown but never scored or suggested


@dataclass(frozen=True)
class Slot:
    weekday: int  # 0 = Monday
    hour: int  # 0–23, the workspace's wall clock
    posts: int
    median: float | None  # None: fewer than MIN_POSTS_PER_SLOT posts

    def next_at(self, now: datetime, zone_name: str) -> datetime:
        """The next time this slot comes round after ``now`` (aware, in the workspace's zone)."""
        local = now.astimezone(ZoneInfo(zone_name))
        days = (self.weekday - local.weekday()) % 7
        start = local.replace(hour=self.hour, minute=0, second=0, microsecond=0)
        candidate = start + timedelta(days=days)
        if candidate <= local:
            candidate += timedelta(days=7)
        return candidate.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone_name))


@dataclass(frozen=True)
class BestTimes:
    weeks: int
    posts: int  # posts with an engagement count in those weeks
    slots: tuple[Slot, ...]  # all 168, Monday 00:00 first
    enough_data: bool
    reason: str  # why there is not enough data ("" when there is)

    def slot(self, weekday: int, hour: int) -> Slot:
        return self.slots[weekday * 24 + hour]

    @property
    def best(self) -> float | None:
        scored = [s.median for s in self.slots if s.median is not None]
        return max(scored) if scored else None


def best_times(workspace: Workspace, weeks: int = 16, now: datetime | None = None) -> BestTimes:
    now = now or timezone.now()
    zone = ZoneInfo(workspace.timezone)
    rows = PostMetrics.objects.filter(
        workspace=workspace,
        published_at__gte=now - timedelta(weeks=weeks),
        published_at__lte=now,
        engagements__isnull=False,
        missing=False,
    ).values_list("published_at", "engagements")
    by_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    for published_at, engagements in rows:  # two small values a row: one plain SELECT
        local = published_at.astimezone(zone)
        by_slot[(local.weekday(), local.hour)].append(engagements or 0)  # never NULL here
    total = sum(len(v) for v in by_slot.values())
    slots = tuple(
        _slot(day, hour, by_slot.get((day, hour), [])) for day in range(7) for hour in range(24)
    )
    enough = total >= MIN_POSTS
    reason = (
        ""
        if enough
        else _(
            "Only %(posts)s posts with figures in the last %(weeks)s weeks; at least "
            "%(needed)s are needed before Chorus suggests times."
        )
        % {"posts": total, "weeks": weeks, "needed": MIN_POSTS}
    )
    return BestTimes(weeks, total, slots, enough, reason)


def _slot(weekday: int, hour: int, engagements: list[int]) -> Slot:
    scored = len(engagements) >= MIN_POSTS_PER_SLOT
    median = float(statistics.median(engagements)) if scored else None
    return Slot(weekday, hour, len(engagements), median)


def suggest_slots(workspace: Workspace, n: int = 3, now: datetime | None = None) -> list[Slot]:
    """The ``n`` best scored slots, best first; none when there is too little history."""
    found = best_times(workspace, now=now)
    if not found.enough_data:
        return []
    scored = [s for s in found.slots if s.median is not None]
    scored.sort(key=lambda s: (-(s.median or 0), -s.posts, s.weekday, s.hour))
    return scored[:n]
