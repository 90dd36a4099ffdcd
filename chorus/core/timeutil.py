"""Time helpers (invariant 6): store UTC, show the workspace's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from django.utils import timezone


def common_timezones() -> list[str]:
    return sorted(
        name for name in available_timezones() if "/" in name and not name.startswith("Etc/")
    )


def local_now(zone_name: str) -> datetime:
    return timezone.now().astimezone(ZoneInfo(zone_name))


def is_valid_timezone(zone_name: str) -> bool:
    return zone_name in available_timezones()
