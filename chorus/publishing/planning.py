"""The calendar of planned posts (month and week), moving a post to another day.

Everything here is read and shown in the workspace's zone; the database holds UTC (invariant 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.publishing import services
from chorus.publishing.models import Post, PostKind, PostTarget, State
from chorus.workspaces.models import Workspace

# A dropped variant stays as a draft with its old date; it is out of the plan unless asked for,
# and so is a deleted one.
DEFAULT_STATES = [s for s in State.values if s not in (State.DRAFT, State.DELETED)]


@dataclass
class Filters:
    channels: list[int] = field(default_factory=list)
    states: list[str] = field(default_factory=lambda: list(DEFAULT_STATES))

    @classmethod
    def from_query(cls, channels: list[str], states: list[str]) -> Filters:
        picked = [s for s in states if s in State.values]
        return cls(
            channels=[int(c) for c in channels if c.isdigit()],
            states=picked or list(DEFAULT_STATES),
        )


@dataclass
class Day:
    day: date
    in_range: bool
    is_today: bool
    is_past: bool
    chips: list[PostTarget] = field(default_factory=list)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def planned_targets(
    workspace: Workspace, start: date, end: date, zone: ZoneInfo, filters: Filters
) -> QuerySet[PostTarget]:
    """Variants of posts (not inbox replies) planned between two local dates, end excluded."""
    found = PostTarget.objects.filter(
        workspace=workspace,
        post__kind=PostKind.POST,
        scheduled_at__gte=local_midnight(start, zone),
        scheduled_at__lt=local_midnight(end, zone),
        state__in=filters.states,
    )
    if filters.channels:
        found = found.filter(channel_id__in=filters.channels)
    return found.select_related("post", "channel").order_by("scheduled_at", "channel__name")


def month_days(anchor: date) -> tuple[date, date]:
    """First Monday on or before the 1st, and the Monday after the last week of the month."""
    first = anchor.replace(day=1)
    start = first - timedelta(days=first.weekday())
    next_month = (first + timedelta(days=32)).replace(day=1)
    end = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    return start, end


def week_days(anchor: date) -> tuple[date, date]:
    start = anchor - timedelta(days=anchor.weekday())
    return start, start + timedelta(days=7)


def build_days(
    workspace: Workspace, view: str, anchor: date, filters: Filters
) -> tuple[list[Day], date, date]:
    """The days shown by ``view`` around ``anchor``, each with its chips in local time order."""
    zone = ZoneInfo(workspace.timezone)
    start, end = month_days(anchor) if view == "month" else week_days(anchor)
    today = timezone.now().astimezone(zone).date()
    days = {
        start + timedelta(days=n): Day(
            day=start + timedelta(days=n),
            in_range=view == "week" or (start + timedelta(days=n)).month == anchor.month,
            is_today=start + timedelta(days=n) == today,
            is_past=start + timedelta(days=n) < today,
        )
        for n in range((end - start).days)
    }
    for target in planned_targets(workspace, start, end, zone, filters):
        assert target.scheduled_at is not None
        days[target.scheduled_at.astimezone(zone).date()].chips.append(target)
    return list(days.values()), start, end


def hour_rows(days: list[Day], zone: ZoneInfo) -> list[tuple[int, list[tuple[Day, list]]]]:
    """The week view: one row per hour, one cell per day, the chips of that hour in it."""
    rows = []
    for hour in range(24):
        cells = [
            (day, [c for c in day.chips if c.scheduled_at and _hour(c.scheduled_at, zone) == hour])
            for day in days
        ]
        rows.append((hour, cells))
    return rows


def _hour(instant: datetime, zone: ZoneInfo) -> int:
    return instant.astimezone(zone).hour


def moved_time(
    target: PostTarget, day: date, hour: int | None, zone: ZoneInfo, minute: int | None = None
) -> datetime:
    """Where a dropped chip lands: the same time of day (month), or the dropped hour (week).

    The minutes are kept in the week view, so a 12:30 post dropped on the 15:00 row goes at 15:30.
    """
    current = (target.scheduled_at or timezone.now()).astimezone(zone)
    wall = time(
        hour if hour is not None else current.hour,
        minute if minute is not None else current.minute,
    )
    # Through the queue's DST rule: a time in the spring gap moves to the end of the gap.
    from chorus.publishing.queue import slot_instant

    return slot_instant(day, wall, zone)


def move_target(target: PostTarget, when: datetime, *, by: User) -> PostTarget:
    """Reschedule one variant from the calendar; refuses the past and what already went out."""
    if target.state in (State.PUBLISHING, State.PUBLISHED, State.UNCONFIRMED):
        raise services.PublishingRuleBroken(
            _("This post is %(state)s: it can no longer be moved.")
            % {"state": target.get_state_display().lower()}
        )
    if when <= timezone.now():
        raise services.PublishingRuleBroken(_("Pick a time in the future."))
    return services.reschedule(target, when, by=by)


def awaiting_approval(workspace: Workspace) -> QuerySet[Post]:
    """Posts with at least one variant waiting for approval, oldest first."""
    return (
        Post.objects.filter(
            workspace=workspace, targets__state=State.AWAITING_APPROVAL, kind=PostKind.POST
        )
        .distinct()
        .select_related("author", "changed_by")
        .order_by("created_at")
    )
