"""The sidebar's bell and Inbox count follow new notifications and conversations on any page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from chorus.channels.base import InboxItem
from chorus.inbox.ingest import ingest
from chorus.workspaces.models import Notification
from tests.conftest import signed_in
from tests.inbox.ingest_support import make_channel, person

pytestmark = pytest.mark.django_db


def _item(remote_id: str) -> InboxItem:
    return InboxItem(
        remote_id=remote_id, kind="comment", conversation_id=remote_id, author=person(3),
        text="Is the shop open on Sunday?", created_at=timezone.now(),
        url=f"https://social.example/@user3/{remote_id}",
    )  # fmt: skip


def _poller(body: str) -> str:
    found = re.search(r'id="live-counters" hx-get="([^"]+)"', body)
    assert found is not None
    return found.group(1).replace("&amp;", "&")


def test_the_sidebar_counts_new_conversations(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    ingest(make_channel(workspace_a), [_item("m1"), _item("m2")])
    body = signed_in(alice).get("/today/").content.decode()
    assert re.search(r'id="nav-inbox-count"[^>]*>2</span>', body)


def test_unchanged_is_204_and_changed_brings_bell_and_count(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    client = signed_in(alice)
    url = _poller(client.get("/today/").content.decode())
    assert client.get(url).status_code == 204
    ingest(channel, [_item("m1")])
    Notification.objects.create(workspace=workspace_a, user=alice, message="Reconnect Mastodon")
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'id="nav-inbox-count" hx-swap-oob="true"[^>]*>1</span>', body)
    assert 'class="bell-count">1<' in body and 'id="bell-slot" hx-swap-oob="true"' in body
    assert client.get(_poller(body)).status_code == 204


def test_charlie_counts_only_his_workspace(alice, workspace_a, charlie, workspace_c) -> None:  # type: ignore[no-untyped-def]
    ingest(make_channel(workspace_a), [_item("m1")])
    body = signed_in(charlie).get("/inbox/counters/?n=0&i=0")
    assert body.status_code == 204
