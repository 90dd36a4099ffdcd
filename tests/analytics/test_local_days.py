"""Counting rows per local day: grouped by UTC hour in the database where the zone allows it,
the same answer as reading every row."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from chorus.analytics.local_days import count_by_day
from chorus.publishing.models import Post
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db

# Around local midnights: 22:59 and 23:00 UTC are 23:59 and 00:00 in Paris in winter, 04:29
# and 04:30 in Kolkata (UTC+5:30) fall on the same day, 18:29/18:30 UTC straddle its midnight.
MOMENTS = [
    datetime(2026, 11, 30, 22, 59, tzinfo=UTC),
    datetime(2026, 11, 30, 23, 0, tzinfo=UTC),
    datetime(2026, 11, 30, 18, 29, tzinfo=UTC),
    datetime(2026, 11, 30, 18, 30, tzinfo=UTC),
    datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # the night Paris moves to summer time
    datetime(2026, 3, 29, 22, 30, tzinfo=UTC),
]


def _expected(zone: str) -> Counter[tuple[date, str]]:
    from zoneinfo import ZoneInfo

    return Counter((moment.astimezone(ZoneInfo(zone)).date(), "") for moment in MOMENTS)


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC"])
def test_rows_land_on_their_local_day(workspace_a: Workspace, zone: str) -> None:
    for moment in MOMENTS:
        Post.objects.create(workspace=workspace_a, text="x", created_at=moment)
    found = count_by_day(Post.objects.filter(workspace=workspace_a), "created_at", zone)
    assert found == _expected(zone)
