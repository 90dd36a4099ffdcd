"""An alert posted in the team's own Matrix room through a connected channel, on a real Synapse."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest

from chorus.channels import services as channels
from chorus.channels.models import Channel
from chorus.listening import alert_destinations, delivery
from chorus.workspaces.models import Workspace
from tests.listening.alert_history import spike_alert
from tests.servers.synapse import RunningSynapse

pytestmark = [pytest.mark.server, pytest.mark.django_db]


@pytest.fixture
def team_room(synapse: RunningSynapse) -> Iterator[tuple[str, httpx.Client]]:
    """A room made by the bot account (alice) that bob, a teammate, has joined."""
    bot, teammate = (
        httpx.Client(
            base_url=f"{synapse.base_url}/_matrix/client/v3",
            headers={"Authorization": f"Bearer {synapse.users[name].access_token}"},
            timeout=30,
        )
        for name in ("alice", "bob")
    )
    made = bot.post("/createRoom", json={"preset": "public_chat", "name": uuid.uuid4().hex[:8]})
    room_id = str(made.json()["room_id"])
    teammate.post(f"/join/{quote(room_id, safe='')}", json={}).raise_for_status()
    yield room_id, teammate
    bot.close()
    teammate.close()


@pytest.fixture
def team_channel(workspace_a: Workspace, synapse: RunningSynapse, team_room) -> Channel:  # type: ignore[no-untyped-def]
    settings = {"base_url": synapse.base_url, "room": team_room[0]}
    return channels.connect(workspace_a, "matrix", synapse.users["alice"].credentials(), settings)


def room_messages(room: tuple[str, httpx.Client]) -> list[str]:
    room_id, client = room
    answer = client.get(
        f"/rooms/{quote(room_id, safe='')}/messages",
        params={"dir": "b", "limit": "20", "filter": '{"types": ["m.room.message"]}'},
    )
    answer.raise_for_status()
    return [str(event["content"].get("body", "")) for event in answer.json()["chunk"]]


def test_alert_is_posted_in_the_team_room(
    workspace_a: Workspace,
    team_channel: Channel,
    team_room,  # type: ignore[no-untyped-def]
) -> None:
    destination = alert_destinations.add_channel(workspace_a, team_channel)
    assert team_channel in alert_destinations.channels_that_can_post(workspace_a)
    alert = spike_alert(workspace_a)
    delivery.send_alert_to_destination(destination.pk, alert.pk)

    (said,) = [text for text in room_messages(team_room) if "Acme" in text]
    assert "30" in said and f"/listening/alerts/{alert.pk}/" in said
    destination.refresh_from_db()
    assert destination.last_error == "" and destination.last_sent_at is not None


def test_a_test_message_reaches_the_room(
    workspace_a: Workspace,
    team_channel: Channel,
    team_room,  # type: ignore[no-untyped-def]
) -> None:
    destination = alert_destinations.add_channel(workspace_a, team_channel)
    assert alert_destinations.send_test(destination) == ""
    # In the workspace's language (French for workspace A).
    assert any("test des alertes de veille" in text for text in room_messages(team_room))


def test_a_channel_of_another_workspace_cannot_be_a_destination(
    workspace_c: Workspace, team_channel: Channel
) -> None:
    with pytest.raises(ValueError):
        alert_destinations.add_channel(workspace_c, team_channel)
