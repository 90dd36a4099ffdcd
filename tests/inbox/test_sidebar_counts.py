"""The sidebar's two numbers come from one query and count exactly what the two counts did:
new conversations of this workspace (capped at 100: the sidebar says "99+"), and this person's
unread notifications of this workspace."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from chorus.inbox.models import Conversation, Status
from chorus.inbox.sidebar import NAV_CAP, sidebar_counts
from chorus.workspaces.models import Notification
from tests.inbox import factories

pytestmark = pytest.mark.django_db


def test_counts_only_new_conversations_of_the_workspace(alice, workspace_a, workspace_c) -> None:  # type: ignore[no-untyped-def]
    ours = factories.channel(workspace_a)
    for n in range(3):
        factories.conversation(ours, f"New {n}")
    factories.conversation(ours, "Opened already", status=Status.PENDING)
    factories.conversation(ours, "Done", status=Status.RESOLVED)
    factories.conversation(factories.channel(workspace_c), "Charlie's")
    assert sidebar_counts(workspace_a.pk, alice.pk) == (3, 0)


def test_the_new_count_stops_past_the_cap(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    first = factories.conversation(factories.channel(workspace_a), "Seed")
    copies = [
        Conversation(
            workspace=workspace_a, channel=first.channel, remote_id=f"bulk-{n}",
            status=Status.NEW, last_message_at=first.last_message_at,
        )
        for n in range(NAV_CAP + 5)
    ]  # fmt: skip
    Conversation.objects.bulk_create(copies)
    assert sidebar_counts(workspace_a.pk, alice.pk)[0] == NAV_CAP + 1


def test_unread_is_this_person_in_this_workspace(alice, bob, workspace_a, workspace_c) -> None:  # type: ignore[no-untyped-def]
    tell = Notification.objects.create
    tell(workspace=workspace_a, user=alice, message="one")
    tell(workspace=workspace_a, user=alice, message="two")
    tell(workspace=workspace_a, user=alice, message="read", read_at=timezone.now())
    tell(workspace=workspace_a, user=bob, message="bob's")
    tell(workspace=workspace_c, user=alice, message="elsewhere")
    assert sidebar_counts(workspace_a.pk, alice.pk) == (0, 2)
    assert sidebar_counts(workspace_a.pk, bob.pk) == (0, 1)


def test_a_page_shows_both_numbers(alice, alice_client: Any, workspace_a) -> None:  # type: ignore[no-untyped-def]
    factories.conversation(factories.channel(workspace_a), "Is the terrace open?")
    Notification.objects.create(workspace=workspace_a, user=alice, message="Reconnect")
    body = alice_client.get("/publishing/calendar/").content.decode()
    assert re.search(r'id="nav-inbox-count"[^>]*>1</span>', body)
    assert 'class="bell-count">1<' in body
    assert "?n=1&amp;i=1" in body  # the poller starts from the same numbers
