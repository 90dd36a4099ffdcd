"""The Connect cards list what Chorus does with each network, no more."""

from __future__ import annotations

import pytest

from chorus.channels.base import Capability
from chorus.channels.connect_fields import what_works
from chorus.channels.registry import NETWORKS, get_network

pytestmark = pytest.mark.django_db


def test_analytics_only_on_networks_that_give_figures() -> None:
    for key in NETWORKS:
        network = get_network(key)
        words = [str(word) for word in what_works(network)]
        assert ("Analytics" in words) == network.can(Capability.METRICS), key


def test_listening_only_on_networks_listening_can_read() -> None:
    listened = {key for key in NETWORKS if "Listening" in map(str, what_works(get_network(key)))}
    assert listened == {"mastodon", "bluesky"}  # the sources that read with a connected account
    assert "discord" not in listened and "telegram" not in listened
