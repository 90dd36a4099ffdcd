"""Best time to post: median engagements per hour of the week, and honesty about thin history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse

from chorus.analytics import figures
from chorus.workspaces.models import Workspace
from tests.analytics.factories import channel, published

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def test_too_few_posts_says_so_and_suggests_nothing(workspace_a: Workspace) -> None:
    shop = channel(workspace_a)
    for n in range(5):
        published(shop, NOW - timedelta(days=n + 1), engagements=10)

    seen = figures.best_times(workspace_a, now=NOW)

    assert not seen.enough_data
    assert seen.posts == 5
    assert "5" in seen.reason and str(figures.MIN_POSTS) in seen.reason
    assert figures.suggest_slots(workspace_a, 3, now=NOW) == []


def test_slots_in_the_workspace_time_zone(workspace_a: Workspace, workspace_c: Workspace) -> None:
    shop = channel(workspace_a)
    tuesday_evening = datetime(2026, 12, 1, 19, tzinfo=PARIS)  # 18:00 UTC
    monday_morning = datetime(2026, 11, 30, 9, tzinfo=PARIS)
    for week in range(10):
        for likes in (40, 50, 60):
            published(shop, tuesday_evening - timedelta(weeks=week), engagements=likes)
        published(shop, monday_morning - timedelta(weeks=week), engagements=5)
    published(shop, monday_morning - timedelta(weeks=30), engagements=10_000)  # too old
    published(channel(workspace_c, "C"), tuesday_evening, engagements=90_000)  # elsewhere

    seen = figures.best_times(workspace_a, weeks=16, now=NOW)

    assert seen.enough_data and seen.reason == ""
    assert seen.posts == 40
    evening = seen.slot(1, 19)
    assert (evening.posts, evening.median) == (30, 50.0)
    assert seen.slot(0, 9).median == 5.0
    assert seen.slot(1, 18).posts == 0 and seen.slot(1, 18).median is None
    best = figures.suggest_slots(workspace_a, 2, now=NOW)
    assert [(s.weekday, s.hour) for s in best] == [(1, 19), (0, 9)]
    assert best[0].next_at(NOW, "Europe/Paris") == datetime(2026, 12, 8, 19, tzinfo=PARIS)


def test_a_slot_with_too_few_posts_is_shown_but_not_scored(workspace_a: Workspace) -> None:
    shop = channel(workspace_a)
    for n in range(figures.MIN_POSTS):
        published(
            shop, datetime(2026, 12, 2, 10, tzinfo=PARIS) - timedelta(weeks=n % 10), engagements=3
        )
    published(shop, datetime(2026, 12, 3, 8, tzinfo=PARIS), engagements=1000)

    seen = figures.best_times(workspace_a, now=NOW)

    assert seen.slot(3, 8).posts == 1 and seen.slot(3, 8).median is None
    assert [(s.weekday, s.hour) for s in figures.suggest_slots(workspace_a, 5, now=NOW)] == [
        (2, 10)
    ]


def test_today_suggests_times_to_whoever_plans_posts(
    workspace_a: Workspace,
    alice_client,
    bob,
    charlie_client,  # type: ignore[no-untyped-def]
) -> None:
    shop = channel(workspace_a)
    now = datetime.now(UTC)
    for n in range(figures.MIN_POSTS):
        published(shop, now - timedelta(days=n * 2 + 1), engagements=10 + n)
    page = alice_client.get(reverse("today")).content.decode()
    assert "Suggested times to post" in page
    assert "Suggested times to post" not in charlie_client.get(reverse("today")).content.decode()
