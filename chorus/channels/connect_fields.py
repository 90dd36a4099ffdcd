"""What the connect page asks for, network by network, built from each network's own description.

``Network.credential_fields`` and ``Network.settings_fields`` are the source. The connectors
written before ``settings_fields`` existed (Bluesky, Matrix) get theirs from ``EXTRAS`` below until
they declare them; the same table adds Matrix's "or sign in with a password" fields, which are
used once to obtain a token and never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.channels.base import Capability, Network, SettingField

CREDENTIAL, SETTING, SIGN_IN = "credential", "setting", "sign_in"


@dataclass(frozen=True)
class ConnectField:
    name: str
    label: Any  # a lazy translation, or the network's own words for a field we do not know
    kind: str  # CREDENTIAL (stored encrypted), SETTING (stored plain), SIGN_IN (used, not kept)
    help_text: Any = ""
    secret: bool = False
    required: bool = True
    is_url: bool = False


@dataclass(frozen=True)
class Extras:
    settings: dict[str, SettingField] = field(default_factory=dict)
    sign_in: tuple[ConnectField, ...] = ()
    omit: frozenset[str] = frozenset()  # credentials the sign-in fills in by itself
    # Groups of which at least one must be filled in completely, and what to say if none is.
    one_of: tuple[tuple[str, ...], ...] = ()
    one_of_message: Any = ""


# Fields whose meaning is the same on every network: translated labels and help texts.
KNOWN: dict[str, tuple[Any, Any]] = {
    "access_token": (_("Access token"), ""),
    "identifier": (_("Handle"), _("For example alice.bsky.social (or the account's DID).")),
    "app_password": (
        _("App password"),
        _(
            "Create one in Bluesky under Settings → Privacy and security → App passwords. "
            "Never your main password."
        ),
    ),
    "bot_token": (_("Bot token"), _("The token @BotFather gave you for the bot.")),
    "chat_id": (
        _("Chat"),
        _("@channelname for a public channel, or the numeric id of a group or private channel."),
    ),
    "webhook_url": (
        _("Webhook address"),
        _("In Discord: channel settings → Integrations → Webhooks → Copy webhook URL."),
    ),
}
SECRET_WORDS = ("token", "password", "secret", "webhook", "key")

EXTRAS: dict[str, Extras] = {
    "bluesky": Extras(
        settings={
            "base_url": SettingField(
                label=_("PDS address"),
                help_text=_(
                    "Only if the account is not hosted by Bluesky itself, "
                    "like https://pds.example.org."
                ),
                required=False,
                is_url=True,
            )
        }
    ),
    "matrix": Extras(
        settings={
            "base_url": SettingField(
                label=_("Homeserver address"),
                help_text=_("Where the bot account lives, like https://matrix.example.org."),
                is_url=True,
            ),
            "room": SettingField(
                label=_("Room to announce in"),
                help_text=_(
                    "Its id (!abc123:example.org) or alias (#news:example.org). Chorus joins it: "
                    "invite the bot first if the room is not public."
                ),
            ),
        },
        sign_in=(
            ConnectField("login_user", _("Bot user name"), SIGN_IN, required=False),
            ConnectField(
                "login_password",
                _("Bot password"),
                SIGN_IN,
                help_text=_("Used once to get a token; Chorus does not keep it."),
                secret=True,
                required=False,
            ),
        ),
        omit=frozenset({"user_id", "device_id"}),
        one_of=(("access_token",), ("login_user", "login_password")),
        one_of_message=_("Enter the bot's access token, or its user name and password."),
    ),
}


def extras_for(network: type[Network]) -> Extras:
    return EXTRAS.get(network.key, Extras())


def is_secret(name: str) -> bool:
    return any(word in name for word in SECRET_WORDS)


def connect_fields(network: type[Network]) -> list[ConnectField]:
    """Server address first, then what proves the account, where to post, what is optional."""
    extras = extras_for(network)
    settings = network.settings_fields or extras.settings
    optional = {name for group in extras.one_of for name in group}
    addresses = [_setting(n, s) for n, s in settings.items() if s.is_url and s.required]
    others = [_setting(n, s) for n, s in settings.items() if not s.is_url and s.required]
    optional_settings = [_setting(n, s) for n, s in settings.items() if not s.required]
    credentials = [
        _credential(name, label, required=name not in optional)
        for name, label in network.credential_fields.items()
        if name not in extras.omit
    ]
    return [*addresses, *credentials, *extras.sign_in, *others, *optional_settings]


def _setting(name: str, setting: SettingField) -> ConnectField:
    return ConnectField(
        name,
        setting.label,
        SETTING,
        help_text=setting.help_text,
        required=setting.required,
        is_url=setting.is_url,
    )


def _credential(name: str, label: str, *, required: bool) -> ConnectField:
    known_label, help_text = KNOWN.get(name, (label, ""))
    return ConnectField(
        name, known_label, CREDENTIAL, help_text, secret=is_secret(name), required=required
    )


# One line on what works, for the "Connect a channel" grid.
TAGLINES: dict[str, Any] = {
    "mastodon": _("Any Mastodon server: sign in there and approve Chorus."),
    "bluesky": _("A handle and an app password; your main password stays yours."),
    "matrix": _("A bot account announcing in one room, and moderating it."),
    "telegram": _("A bot posting in your channel or group."),
    "discord": _("A webhook posting in one channel of your server."),
}
CAPABILITY_WORDS: dict[Capability, Any] = {
    # Not the post state "Publishing" (in progress): French needs two words.
    Capability.PUBLISH: pgettext_lazy("what a network can do", "Publishing"),
    Capability.THREAD: _("Threads"),
    Capability.MEDIA: _("Images"),
    Capability.VIDEO: _("Video"),
    Capability.POLL: _("Polls"),
    Capability.INBOX: _("Inbox"),
    Capability.REPLY: _("Replies"),
    Capability.HIDE: _("Moderation"),
    Capability.BAN: _("Moderation"),
    Capability.METRICS: _("Statistics"),
    Capability.SEARCH: _("Listening"),
}


def what_works(network: type[Network]) -> list[Any]:
    found: dict[str, Any] = {}
    for capability, words in CAPABILITY_WORDS.items():
        if network.can(capability):
            found.setdefault(str(words), words)
    return list(found.values())


def tagline(network: type[Network]) -> Any:
    return TAGLINES.get(network.key, _("Connect it with the details the network gives you."))
