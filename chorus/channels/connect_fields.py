"""What the connect page asks for, built from each network's own description.

``Network.settings_fields``, ``Network.credential_fields`` and ``Network.sign_in_fields`` are the
source: each network says which fields are secret (``CredentialField.secret``), nothing is
guessed from a field's name, and no table here knows a network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chorus.channels.base import Capability, CredentialField, Network, SettingField

CREDENTIAL, SETTING, SIGN_IN = "credential", "setting", "sign_in"


@dataclass(frozen=True)
class ConnectField:
    name: str
    label: Any  # a lazy translation, or the network's own words
    kind: str  # CREDENTIAL (stored encrypted), SETTING (stored plain), SIGN_IN (used, not kept)
    help_text: Any = ""
    secret: bool = False
    required: bool = True
    is_url: bool = False
    strip: bool = True


def connect_fields(network: type[Network]) -> list[ConnectField]:
    """Server address first, then what proves the account, where to post, what is optional."""
    settings = network.settings_fields
    optional = {name for group in network.one_of for name in group}
    addresses = [_setting(n, s) for n, s in settings.items() if s.is_url and s.required]
    others = [_setting(n, s) for n, s in settings.items() if not s.is_url and s.required]
    optional_settings = [_setting(n, s) for n, s in settings.items() if not s.required]
    credentials = [
        _credential(name, field, CREDENTIAL, optional)
        for name, field in network.credential_fields.items()
        if field.asked
    ]
    sign_in = [
        _credential(name, field, SIGN_IN, optional)
        for name, field in network.sign_in_fields.items()
    ]
    return [*addresses, *credentials, *sign_in, *others, *optional_settings]


def _setting(name: str, setting: SettingField) -> ConnectField:
    return ConnectField(
        name,
        setting.label,
        SETTING,
        help_text=setting.help_text,
        required=setting.required,
        is_url=setting.is_url,
    )


def _credential(name: str, field: CredentialField, kind: str, optional: set[str]) -> ConnectField:
    return ConnectField(
        name,
        field.label,
        kind,
        field.help_text,
        secret=field.secret,
        required=field.required and name not in optional,
        strip=field.strip,
    )


def is_secret(network: type[Network], name: str) -> bool:
    """Whether the network says this credential is secret (unknown names are, to be safe)."""
    field = network.credential_fields.get(name)
    return field is None or field.secret


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
    # Analytics reads what a network declares; listening reads searches and hashtags through a
    # connected account of a network that offers them (its sources need the channel).
    Capability.METRICS: _("Analytics"),
    Capability.SEARCH: _("Listening"),
}


def what_works(network: type[Network]) -> list[Any]:
    found: dict[str, Any] = {}
    for capability, words in CAPABILITY_WORDS.items():
        if network.can(capability):
            found.setdefault(str(words), words)
    return list(found.values())


def tagline(network: type[Network]) -> Any:
    return network.tagline or _("Connect it with the details the network gives you.")
