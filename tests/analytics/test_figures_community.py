"""Community figures from the inbox: response times in business hours, the target, moderation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from chorus.accounts.models import User
from chorus.analytics import figures
from chorus.analytics.figures import Period
from chorus.inbox.models import Direction, InboxSettings, RuleAction
from chorus.inbox.sla import business_time_between
from chorus.workspaces.models import Workspace
from tests.inbox.factories import author, channel, conversation, message

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = Period.month(2026, 11)
WEEKDAYS = {str(d): ["09:00", "18:00"] for d in range(5)}


def paris(d: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, d, hour, minute, tzinfo=PARIS)


def test_business_time_skips_nights_and_weekends(workspace_a: Workspace) -> None:
    office = InboxSettings(workspace=workspace_a, business_hours=WEEKDAYS)
    # Friday 6 November 17:00 to Monday 9 November 10:00: one hour on Friday, one on Monday.
    assert business_time_between(paris(6, 17), paris(9, 10), office, PARIS) == timedelta(hours=2)
    always = InboxSettings(workspace=workspace_a)  # no hours set: 24/7
    assert business_time_between(paris(6, 17), paris(9, 10), always, PARIS) == timedelta(hours=65)


def test_response_times_and_target_in_business_hours(workspace_a: Workspace, bob: User) -> None:
    InboxSettings.objects.create(
        workspace=workspace_a, first_reply_hours=4, business_hours=WEEKDAYS
    )
    shop = channel(workspace_a, name="Shop")
    conversation(shop, at=paris(6, 17), first_response_at=paris(9, 10), assignee=bob)  # 2 h
    conversation(shop, at=paris(9, 9), first_response_at=paris(9, 15), assignee=bob)  # 6 h: late
    conversation(shop, at=paris(10, 9), response_due_at=paris(10, 13))  # never answered, overdue
    conversation(shop, at=paris(10, 9), first_response_at=paris(10, 9), sentiment="positive")

    seen = figures.community(workspace_a, NOVEMBER)

    r = seen.responses
    assert (r.conversations, r.answered) == (4, 3)
    assert r.median_seconds == 2 * 3600
    assert r.p90_seconds == 6 * 3600
    assert (r.within_target, r.missed) == (2, 2)
    assert r.hit_rate == 0.5
    assert seen.received == 4 and seen.target_hours == 4
    (person,) = seen.per_person
    assert (person.name, person.responses.answered, person.responses.median_seconds) == (
        str(bob),
        2,
        4 * 3600,
    )
    assert [(c.name, c.received) for c in seen.per_channel] == [("Shop", 4)]


def test_nothing_answered_gives_none_not_zero(workspace_a: Workspace) -> None:
    conversation(channel(workspace_a), at=paris(3, 10))
    r = figures.community(workspace_a, NOVEMBER).responses
    assert r.median_seconds is None and r.p90_seconds is None
    assert r.hit_rate is None  # nothing answered and nothing overdue: nothing to judge yet


def test_replies_moderation_and_sentiment(workspace_a: Workspace, alice: User) -> None:
    shop = channel(workspace_a)
    talk = conversation(shop, at=paris(3, 10), sentiment="negative")
    message(talk, "Thanks!", at=paris(3, 11), direction=Direction.OUTGOING, sent_by=alice)
    message(talk, "spam", at=paris(3, 12), hidden=True, remote_id="m-hidden")
    message(talk, "worse", at=paris(20, 12), deleted=True, remote_id="m-deleted")
    author(workspace_a, banned_at=paris(4, 9))
    author(workspace_a, banned_at=paris(4, 9) - timedelta(days=60))  # banned long before
    RuleAction.objects.create(workspace=workspace_a, conversation=talk, action="hide")
    RuleAction.objects.filter(workspace=workspace_a).update(created_at=paris(3, 12))

    seen = figures.community(workspace_a, NOVEMBER)

    assert seen.received == 3  # the outgoing answer is not received
    assert [(p.name, p.replies_sent) for p in seen.per_person] == [(str(alice), 1)]
    assert seen.moderation == figures.Moderation(1, 1, 1, (("hide", 1),))
    assert seen.sentiment_by == "day"
    by_day = {b.start.day: b for b in seen.sentiment}
    assert (by_day[3].negative, by_day[3].total) == (1, 2)


def test_other_workspaces_never_count(workspace_a: Workspace, workspace_c: Workspace) -> None:
    conversation(channel(workspace_c), at=datetime(2026, 11, 3, 10, tzinfo=UTC))
    seen = figures.community(workspace_a, NOVEMBER)
    assert (seen.received, seen.responses.conversations, seen.per_channel) == (0, 0, ())


def test_percentile_nearest_rank() -> None:
    assert figures.percentile(list(range(1, 11)), 0.9) == 9
    assert figures.percentile([5.0], 0.9) == 5.0
    assert figures.percentile([], 0.5) is None
    assert timezone.is_aware(paris(1, 0))
