"""The baseline knows the hour of the week: a Monday-morning rush that comes every week is no
spike, the same volume on a Tuesday morning is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chorus.listening.models import Alert
from chorus.workspaces.models import Workspace
from tests.listening.alert_history import MONDAY, every, mentions, query, store

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def four_weeks_with_monday_rush(q) -> None:  # type: ignore[no-untyped-def]
    """One mention an hour, except Mondays 9:00–10:00, when the newsletter brings 60."""
    end = MONDAY + timedelta(weeks=4)
    mentions(q, every(MONDAY - timedelta(weeks=1), end, HOUR))
    for week in range(-1, 4):
        nine = MONDAY + timedelta(weeks=week, hours=9)
        mentions(q, every(nine, nine + HOUR, HOUR / 60))


def test_the_weekly_monday_rush_is_not_a_spike(workspace_a: Workspace) -> None:
    q = query(workspace_a)
    four_weeks_with_monday_rush(q)
    monday = MONDAY + timedelta(weeks=4, hours=9)
    assert store(q, mentions(q, every(monday, monday + HOUR, HOUR / 60))) == []
    assert not Alert.objects.exists()


def test_the_same_rush_on_a_tuesday_is(workspace_a: Workspace) -> None:
    q = query(workspace_a)
    four_weeks_with_monday_rush(q)
    tuesday = MONDAY + timedelta(weeks=3, days=1, hours=9)
    alerts = store(q, mentions(q, every(tuesday, tuesday + timedelta(minutes=15), HOUR / 60)))
    assert len(alerts) == 1
    assert alerts[0].explanation["method"] == "week" and alerts[0].explanation["periods"] == 4


def test_without_weeks_of_history_the_hour_of_the_day_is_used(workspace_a: Workspace) -> None:
    q = query(workspace_a)
    mentions(q, every(MONDAY, MONDAY + timedelta(days=5), HOUR / 4))  # 1 per window for 5 days
    saturday = MONDAY + timedelta(days=5, hours=12)
    alerts = store(q, mentions(q, every(saturday, saturday + timedelta(minutes=15), HOUR / 60)))
    assert len(alerts) == 1
    why = alerts[0].explanation
    assert why["method"] == "day" and why["periods"] == 5 and alerts[0].baseline == 1.0


def test_a_query_younger_than_a_day_learns_from_its_busiest_hour(workspace_a: Workspace) -> None:
    q = query(workspace_a)
    mentions(q, every(MONDAY, MONDAY + timedelta(hours=5), HOUR / 2))  # a quiet night
    mentions(q, every(MONDAY + timedelta(hours=5), MONDAY + timedelta(hours=6), HOUR / 24))
    six = MONDAY + timedelta(hours=6)
    # The morning keeps the pace of its busiest hour (6 a window): not news.
    assert (
        store(q, mentions(q, every(six, six + timedelta(minutes=15), timedelta(minutes=2)))) == []
    )
    later = six + timedelta(minutes=45)
    alerts = store(
        q, mentions(q, every(later, later + timedelta(minutes=15), timedelta(seconds=30)))
    )
    assert len(alerts) == 1 and alerts[0].explanation["method"] == "recent"
    assert alerts[0].baseline == pytest.approx(6.0)
