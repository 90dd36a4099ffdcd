"""Invariant 5 on the channel: classify first, refresh keeps the refresh token, notify once."""

from __future__ import annotations

import pytest
from django.core import mail

from chorus.channels import services
from chorus.channels.errors import RateLimited, Transient
from chorus.channels.models import Channel, ChannelStatus


@pytest.fixture
def channel(workspace_a) -> Channel:
    channel = Channel(workspace=workspace_a, network="mastodon", name="A", remote_id="1")
    channel.credentials = {"access_token": "old", "refresh_token": "keep-me"}
    channel.save()
    return channel


def test_refresh_never_overwrites_a_refresh_token_with_an_empty_one(channel) -> None:
    assert services.refresh_credentials(channel, {"access_token": "new", "refresh_token": ""})

    assert Channel.objects.get(pk=channel.pk).credentials == {
        "access_token": "new",
        "refresh_token": "keep-me",
    }


def test_nothing_to_refresh_changes_nothing(channel) -> None:
    assert services.refresh_credentials(channel, {}) is False
    assert channel.credentials["access_token"] == "old"


def test_transient_and_rate_limit_never_disconnect(channel) -> None:
    services.record_error(channel, Transient("The network did not answer in time."))
    services.record_error(channel, RateLimited("Slow down.", retry_after=60))

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.is_waiting_for_rate_limit
    assert channel.last_error == "Slow down."


def test_needs_reconnect_notifies_owners_and_admins_once(channel, alice, bob) -> None:
    assert services.mark_needs_reconnect(channel, "The token was revoked.") is True
    assert services.mark_needs_reconnect(channel, "The token was revoked.") is False

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]  # bob is an editor
    assert "The token was revoked." in mail.outbox[0].body
    assert services.channels_needing_reconnect(channel.workspace) == [channel]
