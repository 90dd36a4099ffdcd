"""Which networks Chorus knows, imported lazily so one broken connector does not break the rest."""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

from chorus.channels.base import Network

NETWORKS: dict[str, str] = {
    "mastodon": "chorus.channels.networks.mastodon.network.Mastodon",
    "bluesky": "chorus.channels.networks.bluesky.network.Bluesky",
    "matrix": "chorus.channels.networks.matrix.network.Matrix",
    "telegram": "chorus.channels.networks.telegram.network.Telegram",
    "discord": "chorus.channels.networks.discord.network.Discord",
    "facebook": "chorus.channels.networks.facebook.network.Facebook",
    "instagram": "chorus.channels.networks.instagram.network.Instagram",
    "threads": "chorus.channels.networks.threads.network.Threads",
}


class UnknownNetwork(KeyError):
    pass


@cache
def get_network(key: str) -> type[Network]:
    try:
        dotted = NETWORKS[key]
    except KeyError:
        raise UnknownNetwork(key) from None
    module_name, _, class_name = dotted.rpartition(".")
    network: type[Network] = getattr(import_module(module_name), class_name)
    return network


def network_urlpatterns() -> list[Any]:
    """Every network's own pages (``Network.urls``), for the channels' URLs."""
    found: list[Any] = []
    for network in available_networks():
        if network.urls:
            found.extend(import_module(network.urls).urlpatterns)
    return found


def available_networks() -> list[type[Network]]:
    """Every network whose package imports, in a stable order for menus."""
    found = []
    for key in NETWORKS:
        try:
            found.append(get_network(key))
        except ImportError:
            continue
    return sorted(found, key=lambda n: n.label)


def offered_networks() -> list[type[Network]]:
    """The networks the connect page offers: those set up on this Chorus (``is_offered``)."""
    return [network for network in available_networks() if network.is_offered()]
