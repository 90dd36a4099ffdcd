"""A channel's queue: weekly wall-clock slots, and the next free one for a post.

Slots are stored as weekday + local time (see :class:`QueueSlot`) and turned into UTC instants per
date, in the workspace's zone, so "Tuesday 09:00" stays 09:00 when the clocks change (invariant 6).
Two DST edge cases are decided here once:

- a slot inside the spring-forward gap (02:30 on the night clocks jump from 02:00 to 03:00) does
  not exist that day: it moves to the first valid instant after the gap (03:00);
- a slot inside the autumn repeated hour (02:30 happens twice) uses its first occurrence (fold=0),
  and is never used twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import Post, PostTarget, QueueSlot, State

# States in which a target occupies its slot: it is going out (or waiting to be allowed to).
OCCUPYING = (State.SCHEDULED, State.PUBLISHING, State.AWAITING_APPROVAL)
# How far ahead to look for a free slot before giving up (a full year of slots is not "a queue").
HORIZON_DAYS = 366


class NoQueueSlots(services.PublishingRuleBroken):
    """The channel has no weekly slot (or none free within the horizon)."""

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        super().__init__(
            _("%(channel)s has no free queue slot: add time slots on its queue page.")
            % {"channel": channel.name}
        )


def slot_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone``, decided for DST (see above)."""
    wall = datetime.combine(day, at.replace(tzinfo=None, second=0, microsecond=0))
    first = wall.replace(tzinfo=zone, fold=0)  # fold=0: the first of a repeated hour
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return first.astimezone(UTC)
    return _end_of_gap(wall, zone)


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> datetime:
    """The transition instant that skipped over ``wall``: the first valid time after the gap.

    With fold=1 a gap time is read with the offset after the change, with fold=0 with the offset
    before it; the transition lies between the two UTC readings. Search it to the second.
    """
    low = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    high = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if high < low:
        low, high = high, low
    after_offset = high.astimezone(zone).utcoffset()
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after_offset:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def _minute(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(second=0, microsecond=0)


def slot_times(
    slots: Iterable[QueueSlot], zone: ZoneInfo, after: datetime, days: int = HORIZON_DAYS
) -> Iterator[datetime]:
    """Every slot instant (UTC) strictly after ``after``, in order, each instant once."""
    by_weekday: dict[int, list[time]] = {}
    for slot in slots:
        by_weekday.setdefault(slot.weekday, []).append(slot.time)
    if not by_weekday:
        return
    day = after.astimezone(zone).date()
    last: datetime | None = None
    for _offset in range(days + 1):
        for at in sorted(by_weekday.get(day.weekday(), [])):
            instant = slot_instant(day, at, zone)
            # Two slots can land on one instant (02:30 in the gap and 03:00): use it once.
            if instant > after and instant != last:
                last = instant
                yield instant
        day += timedelta(days=1)


def taken_times(channel: Channel, after: datetime) -> set[datetime]:
    """Minutes already occupied on the channel from ``after`` on."""
    return {
        _minute(when)
        for when in PostTarget.objects.filter(
            workspace=channel.workspace,
            channel=channel,
            state__in=OCCUPYING,
            scheduled_at__gt=after,
        ).values_list("scheduled_at", flat=True)
        if when is not None
    }


class SlotAllocator:
    """Hands out a channel's free slots one after another (queueing many posts in a row).

    Reads the slots and the occupied times once, so queueing thousands of posts (CSV import)
    costs two queries per channel rather than two per post.
    """

    def __init__(self, channel: Channel, after: datetime | None = None) -> None:
        self.channel = channel
        self.after = after or timezone.now()
        zone = ZoneInfo(channel.workspace.timezone)
        slots = list(QueueSlot.objects.filter(workspace=channel.workspace, channel=channel))
        self._times = slot_times(slots, zone, self.after)
        self._taken = taken_times(channel, self.after)

    def take(self, instant: datetime) -> None:
        """Mark a time as occupied by a post not saved yet (the rest of an import)."""
        self._taken.add(_minute(instant))

    def next(self) -> datetime:
        for instant in self._times:
            if _minute(instant) not in self._taken:
                self._taken.add(_minute(instant))
                return instant
        raise NoQueueSlots(self.channel)


def next_free_slot(channel: Channel, after: datetime | None = None) -> datetime:
    """The next weekly slot of ``channel`` (UTC) that no going-out target occupies."""
    return SlotAllocator(channel, after).next()


@transaction.atomic
def add_to_queue(post: Post, *, by: User) -> list[PostTarget]:
    """Each variant of ``post`` goes into its channel's next free slot (waiting for approval
    there when ``by`` needs it)."""
    targets = list(
        post.targets.filter(workspace=post.workspace, state__in=services.EDITABLE)
        .select_related("channel__workspace", "post")
        .order_by("channel_id")
    )
    # Lock the channels so two people queueing at once do not take the same slot.
    list(Channel.objects.select_for_update().filter(pk__in=[t.channel_id for t in targets]))
    planned = [(target, next_free_slot(target.channel)) for target in targets]
    return [services.reschedule(target, when, by=by) for target, when in planned]


def upcoming(channel: Channel, count: int = 10) -> list[tuple[datetime, list[PostTarget]]]:
    """The next ``count`` slot times of the channel, each with what is already in it."""
    now = timezone.now()
    zone = ZoneInfo(channel.workspace.timezone)
    slots = list(QueueSlot.objects.filter(workspace=channel.workspace, channel=channel))
    times = []
    for instant in slot_times(slots, zone, now):
        times.append(instant)
        if len(times) == count:
            break
    if not times:
        return []
    in_slots: dict[datetime, list[PostTarget]] = {}
    for target in PostTarget.objects.filter(
        workspace=channel.workspace,
        channel=channel,
        state__in=OCCUPYING,
        scheduled_at__gte=times[0],
        scheduled_at__lt=times[-1] + timedelta(minutes=1),
    ).select_related("post"):
        if target.scheduled_at is not None:
            in_slots.setdefault(_minute(target.scheduled_at), []).append(target)
    return [(instant, in_slots.get(_minute(instant), [])) for instant in times]
