"""The Connect cards list only what Chorus does today: no Statistics or Listening badge yet."""

from __future__ import annotations

import pytest

from chorus.channels.connect_fields import what_works
from chorus.channels.registry import NETWORKS, get_network
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_no_card_promises_statistics_or_listening(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    body = signed_in(alice).get("/channels/connect/").content.decode()
    assert "Publishing" in body
    assert "Statistics" not in body and "Listening" not in body


def test_networks_that_can_search_or_measure_get_no_such_word() -> None:
    for key in NETWORKS:
        network = get_network(key)
        words = [str(word) for word in what_works(network)]
        assert "Statistics" not in words and "Listening" not in words, key
