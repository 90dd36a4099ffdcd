"""Counting rows per day of the workspace's calendar, fast on both databases.

PostgreSQL converts time zones natively, so it groups by local day itself. SQLite has no time
zones: Django converts each row in Python there, through its datetime converters, which costs
ten times more than reading the stored UTC text and cutting days here. Same answer either way.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Cast, Substr, TruncDate


def count_by_day(
    rows: QuerySet[Any], field: str, zone_name: str, by: str = ""
) -> Counter[tuple[date, str]]:
    """{(local day, value of ``by`` or ""): rows} for the rows of ``rows``."""
    zone = ZoneInfo(zone_name)
    if connection.vendor == "postgresql":
        grouped = (
            rows.order_by()
            .annotate(local_day=TruncDate(field, tzinfo=zone))
            .values_list("local_day", *([by] if by else []))
            .annotate(n=Count("pk"))
        )
        return Counter({(row[0], row[1] if by else ""): row[-1] for row in grouped})
    found: Counter[tuple[date, str]] = Counter()
    if _whole_hours(zone):
        # Group by the stored UTC hour in SQLite itself (its text's first 13 characters), then
        # put each hour on its local day here: a few hundred groups instead of every row.
        hours = (
            rows.order_by()
            .annotate(utc_hour=Substr(as_text(field), 1, 13))
            .values_list("utc_hour", *([by] if by else []))
            .annotate(n=Count("pk"))
        )
        for row in hours:
            found[(_local_day(row[0] + ":00:00", zone), row[1] if by else "")] += row[-1]
        return found
    stamps = rows.order_by().values_list(as_text(field), *([by] if by else []))
    for row in stamps:
        found[(_local_day(row[0], zone), row[1] if by else "")] += 1
    return found


def _whole_hours(zone: ZoneInfo) -> bool:
    """True when every offset the zone has used since 1970 is a whole number of hours (Paris,
    New York; not Kolkata or Adelaide): then an hour in UTC never straddles a local midnight."""
    probes = (datetime(year, month, 15, tzinfo=UTC) for year in (1990, 2026) for month in (1, 7))
    for moment in probes:
        offset = moment.astimezone(zone).utcoffset()
        if offset is None or offset.total_seconds() % 3600:
            return False
    return True


def _local_day(stamp: str, zone: ZoneInfo) -> date:
    return local_time(stamp, zone).date()


def local_time(stamp: str, zone: ZoneInfo) -> datetime:
    """A time stored in UTC, read as text (see ``as_text``), in the workspace's zone."""
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:  # SQLite keeps UTC as naive text
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone)


def as_text(field: str) -> Cast:
    """The stored time as text: much cheaper to read than through the ORM's converters."""
    return Cast(field, CharField())
