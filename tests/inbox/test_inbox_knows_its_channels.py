"""The inbox says "no channel is connected" only when none is, whether or not rows are shown.

The page no longer asks the database whether a channel exists when it shows rows (a conversation
always belongs to one of the workspace's channels); these pin that the prompt and "Check now"
still follow the channels, not the rows.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.inbox import factories

pytestmark = pytest.mark.django_db
NO_CHANNEL = "No channel is connected yet."


def _inbox(client: Any, query: str = "") -> str:
    response = client.get(f"/inbox/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_channel_the_page_says_so(alice_client: Any) -> None:
    body = _inbox(alice_client)
    assert NO_CHANNEL in body
    assert "Check now" not in body


def test_a_channel_without_conversations_is_not_reported_missing(
    alice_client: Any, workspace_a: Any
) -> None:
    factories.channel(workspace_a)
    body = _inbox(alice_client)
    assert NO_CHANNEL not in body
    assert "Check now" in body


def test_rows_shown_and_a_filter_that_matches_nothing(alice_client: Any, workspace_a: Any) -> None:
    factories.conversation(factories.channel(workspace_a), "Is the terrace open?")
    body = _inbox(alice_client)
    assert "Is the terrace open?" in body and "Check now" in body
    emptied = _inbox(alice_client, "?sentiment=negative")
    assert "Is the terrace open?" not in emptied
    assert NO_CHANNEL not in emptied and "Check now" in emptied


def test_charlie_does_not_see_workspace_a_channels(charlie_client: Any, workspace_a: Any) -> None:
    factories.conversation(factories.channel(workspace_a), "Is the terrace open?")
    body = _inbox(charlie_client)
    assert "Is the terrace open?" not in body
    assert NO_CHANNEL in body
