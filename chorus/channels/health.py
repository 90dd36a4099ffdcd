"""A channel's health in words a person can act on, for the channel page and Today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.channels.models import Channel, ChannelStatus
from chorus.core.redact import redact


@dataclass(frozen=True)
class Health:
    level: str  # "ok" | "warning" | "problem", for the colour
    summary: str
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str
    rate_limit: str


# The moderation verbs a network may refuse an account (Connection.refused_verbs), in words.
VERB_WORDS = {
    "redact": gettext_lazy("delete other people's messages"),
    "kick": gettext_lazy("remove people"),
    "ban": gettext_lazy("ban people"),
    "unban": gettext_lazy("lift bans"),
    "hide": gettext_lazy("hide comments"),
    "delete": gettext_lazy("delete its own posts"),
}


def refused_rights(channel: Channel) -> list[str]:
    """What the channel's account may not do on its network, as last checked, in words."""
    refused = channel.settings.get("refused_verbs") or ()
    return [str(words) for verb, words in VERB_WORDS.items() if verb in refused]


def rate_limit_words(channel: Channel) -> str:
    if channel.is_waiting_for_rate_limit:
        return _("The network asked Chorus to wait until %(time)s.") % {
            "time": timezone.localtime(channel.rate_limit_reset_at).strftime("%H:%M:%S")
        }
    if channel.rate_limit_remaining is not None:
        return _("%(n)d requests left in the network's current window.") % {
            "n": channel.rate_limit_remaining
        }
    return _("No limit reached.")


def health_of(channel: Channel) -> Health:
    if channel.status == ChannelStatus.NEEDS_RECONNECT:
        level, summary = "problem", _("Needs reconnecting: nothing is published until then.")
    elif channel.status == ChannelStatus.DISCONNECTED:
        level, summary = "problem", _("Disconnected.")
    elif channel.last_error_at and (
        not channel.last_success_at or channel.last_error_at > channel.last_success_at
    ):
        level, summary = "warning", _("Working, but the last request failed.")
    else:
        level, summary = "ok", _("Working.")
    return Health(
        level=level,
        summary=str(summary),
        last_success_at=channel.last_success_at,
        last_error_at=channel.last_error_at,
        last_error=redact(channel.last_error),  # also what was stored before redaction existed
        rate_limit=rate_limit_words(channel),
    )
