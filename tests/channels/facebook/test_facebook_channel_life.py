"""A Page's life in Chorus: its page warns before Meta's access lapses, disconnecting
unsubscribes it from the app's webhooks, and another workspace never sees it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.channels.models import Channel, ChannelStatus
from tests.channels.facebook.conftest import PAGE_ID, V
from tests.loopback import Reply


def _lapsing_in(channel: Channel, days: int) -> None:
    channel.settings = {**channel.settings, "access_expires_at": None}
    channel.settings["data_access_expires_at"] = (timezone.now() + timedelta(days=days)).isoformat()
    channel.save()


def test_the_page_warns_two_weeks_before_access_lapses(alice_client, page_channel) -> None:
    _lapsing_in(page_channel, 5)

    page = alice_client.get(f"/channels/{page_channel.pk}/").content.decode()

    assert "Access given by Facebook" in page and "Sign in again soon" in page


def test_far_from_lapsing_the_page_only_says_until_when(alice_client, page_channel) -> None:
    _lapsing_in(page_channel, 80)

    page = alice_client.get(f"/channels/{page_channel.pk}/").content.decode()

    assert "Meta gives Chorus access to this Page until" in page
    assert "Sign in again soon" not in page


def test_disconnecting_unsubscribes_the_page(alice_client, page_channel, graph) -> None:
    graph.on("DELETE", f"{V}/{PAGE_ID}/subscribed_apps", Reply(200, {"success": True}))

    alice_client.post(f"/channels/{page_channel.pk}/disconnect/")

    assert [r.method for r in graph.requests(f"{V}/{PAGE_ID}/subscribed_apps")] == ["DELETE"]
    assert Channel.objects.get(pk=page_channel.pk).status == ChannelStatus.DISCONNECTED


def test_disconnecting_when_meta_already_refuses_still_disconnects(
    alice_client, page_channel, graph
) -> None:
    expired = {"error": {"message": "Session has expired", "code": 190}}
    graph.on("DELETE", f"{V}/{PAGE_ID}/subscribed_apps", Reply(400, expired))

    alice_client.post(f"/channels/{page_channel.pk}/disconnect/")

    assert Channel.objects.get(pk=page_channel.pk).status == ChannelStatus.DISCONNECTED


def test_another_workspace_never_sees_the_page(charlie_client, page_channel) -> None:
    assert charlie_client.get(f"/channels/{page_channel.pk}/").status_code == 404
    assert charlie_client.post(f"/channels/{page_channel.pk}/disconnect/").status_code == 404


def test_once_lapsed_the_page_says_so(alice_client, page_channel) -> None:
    _lapsing_in(page_channel, -3)

    page = alice_client.get(f"/channels/{page_channel.pk}/").content.decode()

    assert "access for this Page lapsed on" in page
