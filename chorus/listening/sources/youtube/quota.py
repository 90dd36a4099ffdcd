"""The YouTube Data API's daily quota, counted in the source's cursor.

A project gets 10,000 units a day by default; ``search.list`` costs 100, ``commentThreads.list``
1. The day resets at midnight Pacific time. The count lives in the cursor, saved with each batch,
so a source stops *before* the budget is spent and asks to be polled again after the reset.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

PACIFIC = ZoneInfo("America/Los_Angeles")
SEARCH_COST = 100
LIST_COST = 1
DEFAULT_DAILY_UNITS = 10_000


class OutOfUnits(Exception):
    """The next call would spend more than today's budget."""


def daily_budget() -> int:
    return int(getattr(settings, "CHORUS_YOUTUBE_DAILY_UNITS", 0) or DEFAULT_DAILY_UNITS)


def pacific_day(now: datetime) -> str:
    return now.astimezone(PACIFIC).date().isoformat()


def seconds_to_reset(now: datetime) -> float:
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), PACIFIC)
    return max(1.0, (midnight - local).total_seconds())


class Units:
    """Units spent today; ``spend`` refuses a call that would cross the budget."""

    def __init__(self, cursor: Mapping[str, Any], now: datetime) -> None:
        self.day = pacific_day(now)
        kept = cursor.get("quota") or {}
        self.used = int(kept.get("used", 0)) if kept.get("day") == self.day else 0

    def spend(self, cost: int) -> None:
        if self.used + cost > daily_budget():
            raise OutOfUnits
        self.used += cost

    def as_cursor(self) -> dict[str, Any]:
        return {"day": self.day, "used": self.used}
