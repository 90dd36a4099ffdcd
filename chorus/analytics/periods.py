"""A period of whole days in the workspace's time zone, and its bounds in UTC."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both included, as days of the workspace's calendar."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period ends on or after the day it starts.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (to compare with)."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def bounds(self, zone_name: str) -> tuple[datetime, datetime]:
        """[first instant, first instant after) in UTC: midnight to midnight in the zone."""
        zone = ZoneInfo(zone_name)
        first = datetime.combine(self.start, time(0), tzinfo=zone).astimezone(UTC)
        after = datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=zone)
        return first, after.astimezone(UTC)

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    @classmethod
    def week_of(cls, day: date) -> Period:
        """Monday to Sunday around ``day``."""
        monday = day - timedelta(days=day.weekday())
        return cls(monday, monday + timedelta(days=6))

    @classmethod
    def last_days(cls, n: int, today: date) -> Period:
        """The ``n`` days ending with ``today`` (today included)."""
        if n < 1:
            raise ValueError("A period has at least one day.")
        return cls(today - timedelta(days=n - 1), today)

    def __str__(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"
