"""A Page's own steps: subscribe it to the Meta app's webhooks when connected, unsubscribe it
when disconnected, and say on the channel's page when Meta's access lapses."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels.errors import ChannelError
from chorus.channels.networks.meta.graph import Graph
from chorus.channels.steps import ChannelSteps, PageSection

if TYPE_CHECKING:
    from chorus.channels.models import Channel

log = logging.getLogger(__name__)

WEBHOOK_FIELDS = ["feed", "messages", "mention"]
WARN_BEFORE = timedelta(days=14)  # time enough to sign in again before access lapses


def subscribe(channel: Channel) -> None:
    graph = Graph(str(channel.credentials.get("access_token") or ""))
    try:
        # Subscribing twice is harmless: a lost answer may be sent again.
        graph.post(
            f"{channel.remote_id}/subscribed_apps",
            subscribed_fields=",".join(WEBHOOK_FIELDS),
            may_have_applied=False,
        )
    finally:
        graph.close()


def unsubscribe(channel: Channel) -> None:
    graph = Graph(str(channel.credentials.get("access_token") or ""))
    try:
        graph.delete(f"{channel.remote_id}/subscribed_apps")
    finally:
        graph.close()


def access_lapses_at(channel: Channel) -> datetime | None:
    """The earliest of the token's expiry and Meta's data-access expiry, as read at sign-in."""
    found = []
    for key in ("access_expires_at", "data_access_expires_at"):
        value = channel.settings.get(key)
        if not value:
            continue
        try:
            found.append(datetime.fromisoformat(str(value)))
        except ValueError:
            continue
    return min(found, default=None)


class FacebookSteps(ChannelSteps):
    def after_connect(self, channel: Channel) -> str:
        try:
            subscribe(channel)
        except ChannelError:
            log.warning("subscribing Page %s to webhooks failed", channel.pk, exc_info=True)
            return _(
                "Meta did not accept the webhook subscription for %(page)s: new comments and "
                "messages arrive by polling until you reconnect the Page."
            ) % {"page": channel.name}
        return ""

    def before_disconnect(self, channel: Channel) -> None:
        try:
            unsubscribe(channel)
        except ChannelError:  # access already gone: nothing left to undo on Meta's side
            log.info("unsubscribing Page %s failed", channel.pk, exc_info=True)

    def page_section(self, channel: Channel) -> PageSection | None:
        lapses = access_lapses_at(channel)
        if lapses is None:
            return None
        return PageSection(
            template="facebook/access.html",
            panel={
                "lapses_at": lapses,
                "soon": lapses - timezone.now() < WARN_BEFORE,
                "lapsed": lapses <= timezone.now(),
            },
        )
