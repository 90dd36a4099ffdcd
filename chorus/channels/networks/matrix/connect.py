"""Matrix-specific connect steps: sign in with a password if no token was given, check the room.

Checking the room before storing the channel means a typo in an alias is a field error now,
not a failed publication next week. The bot joins the room (it must be public, or the bot
invited): it cannot announce in a room it is not in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from django.utils.translation import gettext as _

from chorus.channels.errors import Permanent
from chorus.channels.networks.matrix.api import CLIENT, call, login_with_password, part
from chorus.channels.steps import ChannelSteps

if TYPE_CHECKING:
    from chorus.channels.connecting import Entered


class MatrixSteps(ChannelSteps):
    def prepare_credentials(self, entered: Entered, http: httpx.Client) -> dict[str, Any]:
        return prepared(entered, http)


def prepared(entered: Entered, http: httpx.Client) -> dict[str, Any]:
    homeserver = str(entered.settings.get("base_url", ""))
    credentials = dict(entered.credentials)
    if not credentials.get("access_token"):
        credentials = _signed_in(http, homeserver, entered.sign_in)
    _join_room(http, homeserver, str(credentials["access_token"]), entered.settings)
    return credentials


def _signed_in(http: httpx.Client, homeserver: str, sign_in: dict[str, Any]) -> dict[str, Any]:
    from chorus.channels.connecting import ConnectProblemError

    user = str(sign_in.get("login_user", "")).strip()
    password = str(sign_in.get("login_password", ""))
    try:
        return dict(login_with_password(http, homeserver, user, password))
    except Permanent as refused:
        raise ConnectProblemError(
            _("The homeserver refused this user name and password."), "login_password"
        ) from refused


def _join_room(http: httpx.Client, homeserver: str, token: str, settings: dict[str, Any]) -> None:
    from chorus.channels.connecting import ConnectProblemError

    room = str(settings.get("room", "")).strip()
    if not room.startswith(("!", "#")) or ":" not in room:
        raise ConnectProblemError(
            _("Enter a room id like !abc123:example.org or an alias like #news:example.org."),
            "room",
        )
    try:
        call(
            http,
            "POST",
            f"{homeserver}{CLIENT}/join/{part(room)}",
            token=token,
            json={},
            forbidden="forbidden",
        )
    except Permanent as refused:
        raise ConnectProblemError(
            _(
                "The bot cannot join this room: check the id or alias, and invite the bot "
                "if the room is not public."
            ),
            "room",
        ) from refused
