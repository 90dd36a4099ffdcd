"""Queue slots are wall-clock times: they survive DST changes and fill up one after another."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from chorus.publishing import services
from chorus.publishing.models import QueueSlot, State
from chorus.publishing.queue import NoQueueSlots, add_to_queue, next_free_slot, slot_times

from .planning_fixtures import make_channel, planned

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def _channel(workspace, zone: str, slots: list[tuple[int, time]]):  # type: ignore[no-untyped-def]
    workspace.timezone = zone
    workspace.save()
    channel = make_channel(workspace)
    for weekday, at in slots:
        QueueSlot.objects.create(workspace=workspace, channel=channel, weekday=weekday, time=at)
    return channel


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def _following(channel, after: datetime, count: int) -> list[datetime]:  # type: ignore[no-untyped-def]
    found = []
    for _ in range(count):
        after = next_free_slot(channel, after)
        found.append(after)
    return found


@pytest.mark.parametrize(
    ("zone", "sunday_before", "utc_before", "utc_after"),
    [
        ("Europe/Paris", datetime(2025, 3, 23), 8, 7),  # spring forward 30 March
        ("Europe/Paris", datetime(2025, 10, 19), 7, 8),  # fall back 26 October
        ("America/New_York", datetime(2025, 3, 2), 14, 13),  # spring forward 9 March
        ("America/New_York", datetime(2025, 10, 26), 13, 14),  # fall back 2 November
    ],
)
def test_nine_o_clock_stays_nine_o_clock_across_the_change(
    workspace_a, zone, sunday_before, utc_before, utc_after
) -> None:
    channel = _channel(workspace_a, zone, [(6, time(9, 0))])  # Sundays 09:00
    after = sunday_before.replace(tzinfo=UTC)

    first, second = _following(channel, after, 2)

    assert [first.hour, second.hour] == [utc_before, utc_after]
    for instant in (first, second):
        local = instant.astimezone(ZoneInfo(zone))
        assert (local.weekday(), local.hour, local.minute) == (6, 9, 0)
    assert second - first == timedelta(days=7) + timedelta(hours=utc_after - utc_before)


def test_paris_slot_in_the_spring_gap_moves_to_the_end_of_the_gap(workspace_a) -> None:
    channel = _channel(workspace_a, "Europe/Paris", [(6, time(2, 30))])

    slot = next_free_slot(channel, _utc(2025, 3, 29))

    assert slot == _utc(2025, 3, 30, 1, 0)  # 03:00 CEST, the first instant that exists
    assert slot.astimezone(PARIS).strftime("%H:%M %Z") == "03:00 CEST"
    # The week after, the slot is back at its own 02:30.
    assert next_free_slot(channel, slot).astimezone(PARIS).strftime("%d %H:%M") == "06 02:30"


def test_new_york_slot_in_the_spring_gap_moves_to_the_end_of_the_gap(workspace_a) -> None:
    channel = _channel(workspace_a, "America/New_York", [(6, time(2, 15))])

    slot = next_free_slot(channel, _utc(2025, 3, 8))

    assert slot.astimezone(NEW_YORK).strftime("%Y-%m-%d %H:%M %Z") == "2025-03-09 03:00 EDT"


def test_gap_slot_and_the_slot_after_the_gap_are_one_instant_used_once(workspace_a) -> None:
    channel = _channel(workspace_a, "Europe/Paris", [(6, time(2, 30)), (6, time(3, 0))])

    first, second = _following(channel, _utc(2025, 3, 29), 2)

    assert first == _utc(2025, 3, 30, 1, 0)
    assert second.astimezone(PARIS).date().isoformat() == "2025-04-06"


@pytest.mark.parametrize(
    ("zone", "saturday", "wall", "expected_utc"),
    [
        ("Europe/Paris", datetime(2025, 10, 25), time(2, 30), _utc(2025, 10, 26, 0, 30)),
        ("America/New_York", datetime(2025, 11, 1), time(1, 30), _utc(2025, 11, 2, 5, 30)),
    ],
)
def test_slot_in_the_repeated_autumn_hour_uses_the_first_one_only(
    workspace_a, zone, saturday, wall, expected_utc
) -> None:
    channel = _channel(workspace_a, zone, [(6, wall)])

    first, second = _following(channel, saturday.replace(tzinfo=UTC), 2)

    assert first == expected_utc
    assert first.astimezone(ZoneInfo(zone)).fold == 0
    # Not the second 02:30 an hour later: next week's.
    assert second - first == timedelta(days=7, hours=1)


def test_slot_times_never_repeat_an_instant_over_a_year(workspace_a) -> None:
    slots = [QueueSlot(weekday=d, time=t) for d in range(7) for t in (time(2, 0), time(2, 30))]
    times = list(slot_times(slots, PARIS, _utc(2025, 1, 1), days=365))
    assert len(times) == len(set(times))
    assert times == sorted(times)


def test_many_posts_queued_in_a_row_fill_consecutive_slots(alice, workspace_a) -> None:
    weekdays = [(day, at) for day in range(5) for at in (time(9, 0), time(12, 30), time(17, 30))]
    channel = _channel(workspace_a, "Europe/Paris", weekdays)
    now = timezone.now()
    expected = list(slot_times(QueueSlot.objects.filter(channel=channel), PARIS, now, days=30))[:8]

    queued = []
    for number in range(8):
        post = services.create_post(workspace_a, alice, f"Post {number}", [channel])
        (target,) = add_to_queue(post, by=alice)
        queued.append(target)

    assert [t.scheduled_at for t in queued] == expected
    assert {t.state for t in queued} == {State.SCHEDULED}


def test_taken_slots_are_skipped_but_other_channels_and_drafts_do_not_take_them(
    alice, workspace_a
) -> None:
    channel = _channel(workspace_a, "Europe/Paris", [(d, time(10, 0)) for d in range(7)])
    other = make_channel(workspace_a, "Other channel")
    first = next_free_slot(channel)
    planned(alice, [other], "Other channel, same time", first)
    dropped = planned(alice, [channel], "Dropped", first + timedelta(days=1))
    services.drop(dropped.targets.get())
    planned(alice, [channel], "Takes the first slot", first)

    assert next_free_slot(channel) == first + timedelta(days=1)


def test_a_post_waiting_for_approval_occupies_its_slot(alice, bob, workspace_a) -> None:
    from chorus.workspaces.models import Membership, Role

    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)
    channel = _channel(workspace_a, "Europe/Paris", [(d, time(10, 0)) for d in range(7)])
    first = next_free_slot(channel)
    post = services.create_post(workspace_a, bob, "Needs approval", [channel])

    (target,) = add_to_queue(post, by=bob)

    assert (target.state, target.scheduled_at) == (State.AWAITING_APPROVAL, first)
    assert next_free_slot(channel) == first + timedelta(days=1)


def test_each_channel_of_a_post_gets_its_own_next_slot(alice, workspace_a) -> None:
    morning = _channel(workspace_a, "Europe/Paris", [(d, time(8, 0)) for d in range(7)])
    evening = make_channel(workspace_a, "Evening")
    for day in range(7):
        QueueSlot.objects.create(
            workspace=workspace_a, channel=evening, weekday=day, time=time(20, 0)
        )
    post = services.create_post(workspace_a, alice, "Both", [morning, evening])

    targets = {t.channel_id: t for t in add_to_queue(post, by=alice)}

    assert targets[morning.pk].scheduled_at.astimezone(PARIS).hour == 8
    assert targets[evening.pk].scheduled_at.astimezone(PARIS).hour == 20


def test_a_channel_without_slots_says_so_and_nothing_moves(alice, workspace_a) -> None:
    with_slots = _channel(workspace_a, "Europe/Paris", [(0, time(9, 0))])
    without = make_channel(workspace_a, "No slots <here>")
    post = services.create_post(workspace_a, alice, "Nowhere to go", [with_slots, without])

    with pytest.raises(NoQueueSlots) as refused:
        add_to_queue(post, by=alice)

    assert "No slots <here> has no free queue slot" in str(refused.value)
    assert set(post.targets.values_list("state", flat=True)) == {State.DRAFT}
