"""Telegram's steps around a channel's life: its webhook.

After a connect the webhook is set up where this Chorus can receive it, before a disconnect it
is removed, while it is set the poller checks it instead of polling (getUpdates would get 409),
and the channel's page shows how messages arrive. ``webhook_setup`` is imported inside each
method: it uses the inbox, which must not load with the channels app.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from chorus.channels.steps import ChannelSteps, PageSection

if TYPE_CHECKING:
    from chorus.channels.models import Channel


class TelegramSteps(ChannelSteps):
    def after_connect(self, channel: Channel) -> str:
        from chorus.channels.networks.telegram.webhook_setup import after_connect

        return after_connect(channel)

    def before_disconnect(self, channel: Channel) -> None:
        from chorus.channels.networks.telegram.webhook_setup import before_disconnect

        before_disconnect(channel)

    def page_section(self, channel: Channel) -> PageSection | None:
        from chorus.channels.networks.telegram.webhook_setup import webhook_panel

        return PageSection("telegram/_webhook.html", webhook_panel(channel))

    def instead_of_polling(
        self, channel: Channel, *, http: httpx.Client | None = None
    ) -> datetime | None:
        from chorus.channels.networks.telegram import webhook_setup

        if not webhook_setup.receives_by_webhook(channel):
            return None
        return webhook_setup.check_instead_of_polling(channel, http=http)
