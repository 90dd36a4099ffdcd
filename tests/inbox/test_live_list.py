"""An open inbox asks for changes: 204 while nothing changed, the new first page when it did."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from chorus.channels.base import InboxItem
from chorus.inbox.ingest import ingest
from tests.conftest import signed_in
from tests.inbox.ingest_support import make_channel, person

pytestmark = pytest.mark.django_db


def _item(remote_id: str, text: str) -> InboxItem:
    return InboxItem(
        remote_id=remote_id, kind="comment", conversation_id=remote_id, author=person(7),
        text=text, created_at=timezone.now(), url=f"https://social.example/@user7/{remote_id}",
    )  # fmt: skip


def _version(body: str) -> str:
    found = re.search(r'id="inbox-live"[^>]*[?&](?:amp;)?v=([0-9-]+)', body)
    assert found is not None, body[:400]
    return found.group(1)


def test_nothing_changed_answers_204_cheaply(alice, workspace_a, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    ingest(make_channel(workspace_a), [_item("m1", "Where is my parcel?")])
    client = signed_in(alice)
    version = _version(client.get("/inbox/").content.decode())
    with django_assert_max_num_queries(5):  # session, user, membership, cache, newest time
        response = client.get(f"/inbox/live/?v={version}")
    assert response.status_code == 204


def test_a_new_message_brings_the_first_page_and_counts(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a)
    ingest(channel, [_item("m1", "Where is my parcel?")])
    client = signed_in(alice)
    version = _version(client.get("/inbox/").content.decode())
    ingest(channel, [_item("m2", "Do you ship to Germany?")])
    response = client.get(f"/inbox/live/?v={version}")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Do you ship to Germany?" in body and "Where is my parcel?" in body
    assert 'id="conv-list"' in body and 'id="inbox-filters"' in body
    assert body.count('hx-swap-oob="true"') == 2
    assert _version(body) != version


def test_the_live_list_keeps_the_filter(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    ingest(make_channel(workspace_a), [_item("m1", "Where is my parcel?")])
    body = signed_in(alice).get("/inbox/live/?status=resolved&v=0").content.decode()
    assert "Where is my parcel?" not in body
    assert "status=resolved" in body.split('id="inbox-live"')[1].split(">")[0]


def test_charlie_sees_only_his_own_inbox(alice, workspace_a, charlie, workspace_c) -> None:  # type: ignore[no-untyped-def]
    ingest(make_channel(workspace_a), [_item("m1", "Where is my parcel?")])
    body = signed_in(charlie).get("/inbox/live/?v=0").content.decode()
    assert "Where is my parcel?" not in body


def test_signed_out_is_sent_to_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/inbox/live/?v=0").status_code == 302
