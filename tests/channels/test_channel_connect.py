"""Connecting checks the account with the network and stores its credentials encrypted."""

from __future__ import annotations

import pytest

from chorus.channels import services
from chorus.channels.errors import AuthExpired
from chorus.channels.models import Channel, ChannelStatus


def test_connect_fills_the_handle_from_the_network(workspace_a, standin) -> None:
    channel = services.connect(
        workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
    )
    assert channel.handle == "user7"
    assert channel.remote_id == "7"
    assert channel.status == ChannelStatus.ACTIVE


def test_credentials_are_encrypted_and_never_shown(workspace_a, standin) -> None:
    channel = services.connect(
        workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
    )
    stored = Channel.objects.filter(pk=channel.pk).values_list("encrypted_credentials", flat=True)
    assert "tok-7" not in stored[0]
    assert "tok-7" not in repr(channel) and "tok-7" not in str(channel)
    assert Channel.objects.get(pk=channel.pk).credentials == {"access_token": "tok-7"}


def test_refused_credentials_store_nothing(workspace_a, standin) -> None:
    standin.store.revoked.add("tok-7")
    with pytest.raises(AuthExpired):
        services.connect(
            workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
        )
    assert not Channel.objects.exists()


def test_connecting_again_reconnects_the_same_channel(workspace_a, standin) -> None:
    first = services.connect(
        workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
    )
    services.mark_needs_reconnect(first, "gone")
    again = services.connect(
        workspace_a, "mastodon", {"access_token": "tok-7"}, {"base_url": standin.root}
    )
    assert again.pk == first.pk
    assert again.status == ChannelStatus.ACTIVE
    assert again.reconnect_notified_at is None
