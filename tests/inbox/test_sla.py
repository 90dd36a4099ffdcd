"""Answers are due within the workspace's business hours, counted in its own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from chorus.channels.models import Channel
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Conversation, InboxSettings
from chorus.inbox.sla import note_reply_sent, response_due
from tests.inbox.ingest_support import item, make_channel

PARIS = ZoneInfo("Europe/Paris")
OFFICE = {str(day): ["09:00", "18:00"] for day in range(5)}  # Monday to Friday


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def settings(hours: int = 4, business_hours: dict | None = None) -> InboxSettings:
    return InboxSettings(first_reply_hours=hours, business_hours=business_hours or {})


def test_without_business_hours_the_clock_runs_all_the_time() -> None:
    start = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)  # a Saturday night

    assert response_due(start, settings(4), PARIS) == datetime(2026, 3, 8, 3, 0, tzinfo=UTC)


def test_friday_evening_message_is_due_monday_morning() -> None:
    friday_5pm = paris(2026, 3, 6, 17, 0)

    due = response_due(friday_5pm, settings(4, OFFICE), PARIS)

    # One hour on Friday, three on Monday from 09:00.
    assert due == paris(2026, 3, 9, 12, 0)


def test_a_message_before_opening_waits_for_the_office() -> None:
    tuesday_dawn = paris(2026, 3, 10, 6, 30)

    assert response_due(tuesday_dawn, settings(2, OFFICE), "Europe/Paris") == paris(
        2026, 3, 10, 11, 0
    )


def test_a_dst_weekend_keeps_monday_opening_at_nine_local() -> None:
    # Clocks go forward in Paris on Sunday 29 March 2026: Friday is UTC+1, Monday UTC+2.
    friday_5pm = paris(2026, 3, 27, 17, 0)

    due = response_due(friday_5pm, settings(4, OFFICE), PARIS)

    assert due == datetime(2026, 3, 30, 10, 0, tzinfo=UTC)  # 12:00 in Paris, summer time
    assert due.astimezone(PARIS).hour == 12


def test_the_short_night_of_the_dst_change_counts_real_hours() -> None:
    every_hour = {str(day): ["00:00", "24:00"] for day in range(7)}
    saturday_noon = paris(2026, 3, 28, 12, 0)

    due = response_due(saturday_noon, settings(24, every_hour), PARIS)

    # Twenty-four real hours later the clocks say 13:00: Sunday had only 23 hours.
    assert due.astimezone(PARIS) == paris(2026, 3, 29, 13, 0)


def test_closed_days_are_skipped() -> None:
    only_wednesday = {"2": ["10:00", "12:00"]}
    monday = paris(2026, 3, 9, 10, 0)

    assert response_due(monday, settings(3, only_wednesday), PARIS) == paris(2026, 3, 18, 11, 0)


def test_an_incoming_message_sets_the_due_time_from_the_workspace_sla(workspace_a) -> None:
    InboxSettings.objects.create(workspace=workspace_a, first_reply_hours=4, business_hours=OFFICE)
    channel = make_channel(workspace_a)
    Channel.objects.filter(pk=channel.pk).update(created_at=paris(2026, 3, 1, 9, 0))
    friday_5pm = paris(2026, 3, 6, 17, 0)
    minutes = int((friday_5pm - datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) / timedelta(minutes=1))

    ingest(channel, [item("m1", minutes=minutes)])

    conversation = Conversation.objects.get(channel=channel)
    assert conversation.waiting_since == friday_5pm
    assert conversation.response_due_at == paris(2026, 3, 9, 12, 0)


def test_an_old_message_from_a_backfill_is_due_from_when_the_channel_was_connected(
    workspace_a,
) -> None:
    InboxSettings.objects.create(workspace=workspace_a, first_reply_hours=4, business_hours={})
    channel = make_channel(workspace_a)
    connected = paris(2026, 3, 20, 10, 0)
    Channel.objects.filter(pk=channel.pk).update(created_at=connected)
    friday_5pm = paris(2026, 3, 6, 17, 0)
    minutes = int((friday_5pm - datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) / timedelta(minutes=1))

    ingest(channel, [item("m1", minutes=minutes)])

    conversation = Conversation.objects.get(channel=channel)
    assert conversation.waiting_since == friday_5pm  # the message's own time is kept
    assert conversation.response_due_at == connected + timedelta(hours=4)


def test_a_reply_marks_the_first_response_and_stops_the_clock(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    conversation = Conversation.objects.get(channel=channel)
    assert conversation.response_due_at is not None
    answered_at = conversation.waiting_since + timedelta(minutes=20)

    note_reply_sent(conversation, answered_at)
    note_reply_sent(conversation, answered_at + timedelta(hours=1))  # a second answer

    conversation.refresh_from_db()
    assert conversation.first_response_at == answered_at
    assert conversation.waiting_since is None
    assert conversation.response_due_at is None
