"""A network's own steps around a channel's life, and its own section on the channel's page.

Generic code calls these at the right moments (after a connect, before a disconnect, on each
poll, when the channel's page is drawn) without knowing any network: a network that needs none
keeps the defaults, which do nothing. Telegram's webhook is the example
(``networks/telegram/steps.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:  # steps take channels, but networks are described before models load
    from chorus.channels.connecting import Entered
    from chorus.channels.models import Channel


@dataclass(frozen=True)
class PageSection:
    """A section of the channel's page: a template of the network's package (its
    ``templates/<key>/`` folder) and what it shows, as ``panel``."""

    template: str
    panel: dict[str, Any] = field(default_factory=dict)


class ChannelSteps:
    """The defaults: nothing to do, nothing to show."""

    def prepare_credentials(self, entered: Entered, http: httpx.Client) -> dict[str, Any]:
        """Before the account is checked: turn what was typed into the credentials to store
        (Matrix signs in with a password and joins the room). Raise ``ConnectProblemError``
        to point at one field."""
        return dict(entered.credentials)

    def after_connect(self, channel: Channel) -> str:
        """Right after the channel is (re)connected; words for the person, or ""."""
        return ""

    def before_disconnect(self, channel: Channel) -> None:
        """While the credentials are still known (undo what ``after_connect`` set up)."""

    def page_section(self, channel: Channel) -> PageSection | None:
        """The network's own section on the channel's page; never calls the network."""
        return None

    def instead_of_polling(
        self, channel: Channel, *, http: httpx.Client | None = None
    ) -> datetime | None:
        """When the network pushes the inbox instead: do what replaces the poll and say when
        to come back. None: poll as usual."""
        return None
