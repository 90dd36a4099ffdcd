"""The channel list and health page show a workspace's own channels only."""

from __future__ import annotations

import pytest

from chorus.channels.models import Channel


@pytest.fixture
def channel(workspace_a) -> Channel:
    return Channel.objects.create(
        workspace=workspace_a,
        network="mastodon",
        name="Brand A on Mastodon",
        remote_id="1",
        last_error="The network asked Chorus to slow down.",
    )


def test_alice_sees_her_channel_and_its_health(alice_client, channel) -> None:
    assert "Brand A on Mastodon" in alice_client.get("/channels/").content.decode()
    page = alice_client.get(f"/channels/{channel.pk}/").content.decode()
    assert "slow down" in page


def test_bob_sees_but_cannot_disconnect(bob_client, channel) -> None:
    assert bob_client.get(f"/channels/{channel.pk}/").status_code == 200
    assert bob_client.post(f"/channels/{channel.pk}/disconnect/").status_code == 403


def test_charlie_cannot_see_or_disconnect(charlie_client, channel) -> None:
    assert "Brand A" not in charlie_client.get("/channels/").content.decode()
    assert charlie_client.get(f"/channels/{channel.pk}/").status_code == 404
    assert charlie_client.post(f"/channels/{channel.pk}/disconnect/").status_code == 404
    channel.refresh_from_db()
    assert channel.status == "active"
