"""Text from networks is shown as text everywhere in the inbox (invariant 3)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string

from chorus.inbox import services
from chorus.inbox.models import Note, SavedReply
from chorus.workspaces.models import Notification
from tests.inbox import factories

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"


@pytest.fixture
def hostile(alice, workspace_a):  # type: ignore[no-untyped-def]
    channel = factories.channel(workspace_a)
    author = factories.author(
        workspace_a, handle=f"{IMG}@evil", display_name=SCRIPT, url="http://x.example"
    )
    talk = factories.conversation(channel, f"{SCRIPT} {IMG}", by=author)
    # URLField does not validate on save: a network may hand us anything.
    type(author).objects.filter(pk=author.pk).update(url=JS_URL)
    talk.messages.update(url=JS_URL)
    Note.objects.create(workspace=workspace_a, conversation=talk, author=alice, text=IMG)
    SavedReply.objects.create(workspace=workspace_a, name=SCRIPT, text=IMG)
    return talk


def assert_inert(html: str) -> None:
    assert SCRIPT not in html
    assert IMG not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;img" in html


def test_every_inbox_page_escapes_network_text(alice_client, hostile) -> None:  # type: ignore[no-untyped-def]
    pages = [
        "/inbox/",
        "/inbox/?q=script",
        f"/inbox/{hostile.pk}/",
        f"/inbox/{hostile.pk}/?use={SavedReply.objects.get().pk}",
        "/inbox/saved-replies/",
    ]
    for url in pages:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.content.decode())


def test_the_list_rows_fragment_escapes_too(alice_client, hostile, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from chorus.inbox import listing

    later = hostile.last_message_at + timedelta(minutes=1)
    factories.conversation(hostile.channel, "newer one", at=later)
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)
    first = alice_client.get("/inbox/")
    cursor = first.context["next_cursor"]
    fragment = alice_client.get(f"/inbox/?after={cursor}", HTTP_HX_REQUEST="true")
    assert_inert(fragment.content.decode())


def test_history_links_are_ours_and_network_links_only_http(alice_client, hostile) -> None:  # type: ignore[no-untyped-def]
    factories.message(hostile, "fine", url="https://piaille.fr/@x/1")
    page = alice_client.get(f"/inbox/{hostile.pk}/").content.decode()
    assert 'href="https://piaille.fr/@x/1" rel="nofollow noopener ugc"' in page


def test_the_csv_keeps_the_text_as_text(alice_client, hostile) -> None:  # type: ignore[no-untyped-def]
    body = b"".join(alice_client.get("/inbox/export.csv").streaming_content).decode()
    (row,) = list(csv.reader(io.StringIO(body[1:])))[1:]
    assert row[2] == SCRIPT  # a CSV is not HTML: the value is kept exactly, nothing runs
    assert row[9] == f"{SCRIPT} {IMG}"


def test_notifications_carry_the_name_as_plain_text(alice, bob, hostile) -> None:
    services.assign(hostile, bob, alice)
    notification = Notification.objects.get(user=bob)
    assert SCRIPT in notification.message  # stored as text, escaped wherever it is shown
    shown = render_to_string("core/messages.html", {"messages": [notification.message]})
    assert SCRIPT not in shown and "&lt;script&gt;" in shown
    (email,) = mail.outbox
    assert SCRIPT not in email.subject and "\n" not in email.subject
    assert not getattr(email, "alternatives", [])  # plain text only: no HTML to inject into
