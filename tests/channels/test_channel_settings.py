"""A channel's page holds its settings: its name and how often its inbox is checked (min 30 s)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.channels.models import Channel
from chorus.inbox.models import ChannelInbox


@pytest.fixture
def channel(workspace_a) -> Channel:
    return Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="Brand A", remote_id="1"
    )


def test_renaming_and_polling_faster_creates_the_inbox_row(alice_client, channel) -> None:
    answer = alice_client.post(
        f"/channels/{channel.pk}/settings/",
        {"name": "  Brand   A  news ", "poll_every_seconds": 60},
    )

    assert answer.status_code == 302
    channel.refresh_from_db()
    assert channel.name == "Brand A news"
    inbox = ChannelInbox.objects.get(channel=channel)
    assert inbox.poll_every_seconds == 60 and inbox.workspace_id == channel.workspace_id
    page = alice_client.get(f"/channels/{channel.pk}/").content.decode()
    assert 'value="60"' in page and "/publishing/queue/" in page


def test_a_shorter_interval_brings_the_next_poll_closer(alice_client, channel) -> None:
    later = timezone.now() + timedelta(hours=3)
    ChannelInbox.objects.create(
        workspace=channel.workspace, channel=channel, poll_every_seconds=3600, next_poll_at=later
    )

    alice_client.post(f"/channels/{channel.pk}/settings/", {"name": "A", "poll_every_seconds": 30})

    inbox = ChannelInbox.objects.get(channel=channel)
    assert inbox.poll_every_seconds == 30
    assert inbox.next_poll_at <= timezone.now() + timedelta(seconds=30)


def test_polling_more_often_than_every_30_seconds_is_refused(alice_client, channel) -> None:
    answer = alice_client.post(
        f"/channels/{channel.pk}/settings/", {"name": "Renamed", "poll_every_seconds": 10}
    )

    assert answer.status_code == 400
    assert "greater than or equal to 30" in answer.content.decode()
    channel.refresh_from_db()
    assert channel.name == "Brand A"
    assert not ChannelInbox.objects.exists()


def test_bob_sees_the_settings_but_cannot_change_them(bob_client, channel) -> None:
    page = bob_client.get(f"/channels/{channel.pk}/").content.decode()
    answer = bob_client.post(f"/channels/{channel.pk}/settings/", {"name": "Bob's"})

    assert "<fieldset disabled>" in page
    assert answer.status_code == 403
    channel.refresh_from_db()
    assert channel.name == "Brand A"


def test_charlie_cannot_change_a_channel_of_workspace_a(charlie_client, channel) -> None:
    answer = charlie_client.post(
        f"/channels/{channel.pk}/settings/", {"name": "Mine", "poll_every_seconds": 30}
    )

    assert answer.status_code == 404
    channel.refresh_from_db()
    assert channel.name == "Brand A"
    assert not ChannelInbox.objects.exists()
