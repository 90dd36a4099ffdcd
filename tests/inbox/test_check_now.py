"""The inbox's "Check now" button polls the workspace's channels at once, and only them."""

from __future__ import annotations

from typing import Any

from chorus.channels import services as channel_services
from chorus.channels.base import InboxPage
from chorus.channels.models import ChannelStatus
from chorus.inbox.models import Message
from chorus.workspaces.models import Membership, Role
from tests.inbox.ingest_support import item, make_channel


class OnePage:
    def __init__(self) -> None:
        self.asked = 0

    def fetch_inbox(self, cursor: str = "") -> InboxPage:
        self.asked += 1
        if self.asked > 1:
            return InboxPage(items=[], cursor="c1")
        return InboxPage(items=[item("m1"), item("m2", minutes=1)], cursor="c1")

    def refreshed_credentials(self) -> None:
        return None

    def rotated_credentials(self) -> None:
        return None

    def close(self) -> None:
        pass


def test_check_now_brings_new_messages_in(bob_client: Any, workspace_a: Any, monkeypatch) -> None:
    channel = make_channel(workspace_a)
    network = OnePage()
    monkeypatch.setattr(channel_services, "connection_for", lambda channel, http=None: network)

    response = bob_client.post("/inbox/check-now/", follow=True)

    assert response.status_code == 200
    assert network.asked >= 1
    assert Message.objects.filter(channel=channel).count() == 2


def test_a_channel_to_reconnect_is_not_checked(alice_client: Any, workspace_a: Any) -> None:
    channel = make_channel(workspace_a)
    channel.status = ChannelStatus.NEEDS_RECONNECT
    channel.save(update_fields=["status"])

    response = alice_client.post("/inbox/check-now/", follow=True)

    assert "No channel can be checked right now" in response.content.decode()


def test_charlie_cannot_check_workspace_a(
    charlie_client: Any, workspace_a: Any, workspace_c: Any, monkeypatch
) -> None:
    make_channel(workspace_a)
    network = OnePage()
    monkeypatch.setattr(channel_services, "connection_for", lambda channel, http=None: network)

    charlie_client.post("/inbox/check-now/")

    assert network.asked == 0
    assert not Message.objects.exists()


def test_the_button_is_only_offered_to_who_may_press_it(
    alice_client: Any, bob_client: Any, bob: Any, workspace_a: Any
) -> None:
    """Walked as a contributor: "Check now" was on the page and answered 403."""
    make_channel(workspace_a)
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)

    assert "/inbox/check-now/" in alice_client.get("/inbox/").content.decode()
    assert "/inbox/check-now/" not in bob_client.get("/inbox/").content.decode()
    assert bob_client.post("/inbox/check-now/").status_code == 403
