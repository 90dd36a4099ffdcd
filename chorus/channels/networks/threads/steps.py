"""The Threads channel's own section on its page: how long its access lasts, and a warning
when the renewal has not happened in time (the token lapses 60 days after its last renewal)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chorus.channels.networks.threads.api import expiry_of
from chorus.channels.steps import ChannelSteps, PageSection

if TYPE_CHECKING:
    from chorus.channels.models import Channel

# Renewal starts 30 days before expiry; still this close means it keeps failing.
WARN_WHEN_DAYS_LEFT = 7


def access_panel(channel: Channel, now: datetime | None = None) -> dict[str, object]:
    expires_at = expiry_of(channel.credentials)
    if expires_at is None:
        return {}
    days_left = (expires_at - (now or datetime.now(UTC))).days
    if expires_at <= (now or datetime.now(UTC)):
        level = "lapsed"
    elif days_left < WARN_WHEN_DAYS_LEFT:
        level = "soon"
    else:
        level = "ok"
    return {"expires_at": expires_at, "days_left": max(0, days_left), "level": level}


class ThreadsSteps(ChannelSteps):
    def page_section(self, channel: Channel) -> PageSection | None:
        panel = access_panel(channel)
        return PageSection("threads/_access.html", panel) if panel else None
