"""Response-time targets: when an answer is due, counting only the team's business hours.

Business hours are wall-clock times in the workspace's zone ("09:00"–"18:00" stays 09:00–18:00
across a DST change); the time counted between them is real elapsed time, computed in UTC, so a
window that contains the night of a DST change is one hour shorter or longer, as it really is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone

from chorus.inbox.models import Conversation, InboxSettings
from chorus.workspaces.models import Workspace

MAX_DAYS_AHEAD = 366  # a schedule with no open day at all is treated as 24/7 after this


def settings_for(workspace: Workspace) -> InboxSettings:
    """The workspace's settings, or unsaved defaults (4 hours, 24/7) if nobody set them."""
    found = InboxSettings.objects.filter(workspace=workspace).first()
    return found or InboxSettings(workspace=workspace)


def response_due(start: datetime, settings: InboxSettings, tz: tzinfo | str) -> datetime:
    """When the first answer to a message received at ``start`` is due, in UTC."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    budget = timedelta(hours=settings.first_reply_hours)
    hours = _weekly_hours(settings.business_hours)
    if not hours:
        return start.astimezone(UTC) + budget
    day = start.astimezone(zone).date()
    for _ in range(MAX_DAYS_AHEAD):
        window = _window(day, hours, zone)
        if window is not None:
            opens, closes = window
            cursor = max(start, opens)
            if cursor < closes:
                if budget <= closes - cursor:
                    return (cursor + budget).astimezone(UTC)
                budget -= closes - cursor
        day += timedelta(days=1)
    return start.astimezone(UTC) + timedelta(hours=settings.first_reply_hours)


def _weekly_hours(raw: object) -> dict[int, tuple[time, time | None]]:
    """{weekday: (opens, closes)}; unreadable days are left out (closed). None closes = midnight."""
    if not isinstance(raw, dict):
        return {}
    hours: dict[int, tuple[time, time | None]] = {}
    for key, value in raw.items():
        try:
            weekday = int(key)
            opens, closes = value
            hours[weekday] = (_clock(opens), None if closes == "24:00" else _clock(closes))
        except (TypeError, ValueError):
            continue
    return {day: span for day, span in hours.items() if 0 <= day <= 6}


def _clock(text: str) -> time:
    return time.fromisoformat(text)


def _window(
    day: date, hours: dict[int, tuple[time, time | None]], zone: tzinfo
) -> tuple[datetime, datetime] | None:
    span = hours.get(day.weekday())
    if span is None:
        return None
    opens_at, closes_at = span
    opens = datetime.combine(day, opens_at, tzinfo=zone).astimezone(UTC)
    if closes_at is None or closes_at <= opens_at:  # "24:00", or open past midnight
        closes_day = day + timedelta(days=1)
        closes = datetime.combine(closes_day, closes_at or time(0), tzinfo=zone).astimezone(UTC)
    else:
        closes = datetime.combine(day, closes_at, tzinfo=zone).astimezone(UTC)
    return opens, closes


def note_reply_sent(conversation: Conversation, at: datetime | None = None) -> None:
    """The team answered: the first answer is remembered, and nothing waits any more.

    Conditional updates, so an answer seen twice (sent from Chorus, then read back by a poll)
    keeps the first time, and a message that arrived after the answer keeps waiting.
    """
    at = at or timezone.now()
    rows = Conversation.objects.filter(pk=conversation.pk)
    rows.filter(first_response_at__isnull=True).update(first_response_at=at)
    rows.filter(waiting_since__lte=at).update(waiting_since=None, response_due_at=None)
    conversation.refresh_from_db(fields=["first_response_at", "waiting_since", "response_due_at"])


def business_time_between(
    start: datetime, end: datetime, settings: InboxSettings, tz: tzinfo | str
) -> timedelta:
    """How much of [start, end] fell in business hours (all of it when the team is 24/7).

    The same windows as :func:`response_due`, so "answered within the target" here and "due by"
    there always agree.
    """
    if end <= start:
        return timedelta(0)
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    hours = _weekly_hours(settings.business_hours)
    if not hours:
        return end - start
    total = timedelta(0)
    day = start.astimezone(zone).date() - timedelta(days=1)  # a window may run past midnight
    last = end.astimezone(zone).date()
    while day <= last:
        window = _window(day, hours, zone)
        if window is not None:
            overlap = min(end, window[1]) - max(start, window[0])
            total += max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total
