"""A row of the inbox list shows what its conversation is, worked out in Python (row_looks)."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from chorus.inbox import services
from chorus.inbox.models import Conversation, Label
from tests.inbox import factories


def row_html(html: str, pk: int) -> str:
    found = re.search(
        rf'<li class="[^"]*" data-row data-href="/inbox/{pk}/">(.*?)</li>', html, re.S
    )
    assert found, html
    return found.group(0)


def test_a_row_shows_its_author_chips_assignee_and_due_time(
    alice, bob, alice_client: Client, workspace_a
) -> None:
    channel = factories.channel(workspace_a, "mastodon")
    fan = factories.author(workspace_a, handle="noe@piaille.fr", display_name="Noé <b>")
    talk = factories.conversation(channel, "Where is my parcel?", by=fan, sentiment="negative")
    label = Label.objects.create(workspace=workspace_a, name="Parcels", color="teal")
    services.add_label(talk, label, alice)
    services.assign(talk, bob, alice)
    due = timezone.now() - timedelta(minutes=90)
    Conversation.objects.filter(pk=talk.pk).update(priority=3, response_due_at=due)

    row = row_html(alice_client.get("/inbox/").content.decode(), talk.pk)

    assert row.startswith('<li class="conv-row unread prio-3"')
    assert "Noé &lt;b&gt;" in row and "@noe@piaille.fr" in row
    chips = re.findall(r'<span class="chip ([^"]*)"[^>]*>([^<]*)</span>', row)
    assert chips == [
        ("sent-negative", "Negative"),
        ("intent", "Question"),
        ("label", "Parcels"),
        ("prio", "Urgent"),
    ]
    assert 'data-label-color="teal"' in row
    assert '<span class="sla bad">Overdue 1 h</span>' in row
    assert f'title="Assigned to {bob}"' in row
    assert 'name="ids"' in row  # alice may answer: the row can be picked


def test_a_row_without_author_or_assignee_says_so(alice_client: Client, workspace_a) -> None:
    channel = factories.channel(workspace_a, "mastodon")
    talk = factories.conversation(channel, "Hello", sentiment="")
    Conversation.objects.filter(pk=talk.pk).update(author=None)

    row = row_html(alice_client.get("/inbox/").content.decode(), talk.pk)

    assert '<strong class="who">Unknown</strong>' in row
    assert 'class="handle"' not in row and 'class="assignee"' not in row


def test_rows_are_in_french_for_a_french_reader(alice_client: Client, workspace_a) -> None:
    channel = factories.channel(workspace_a, "mastodon")
    talk = factories.conversation(channel, "Bonjour", sentiment="positive")

    page = alice_client.get("/inbox/", headers={"accept-language": "fr"})
    row = row_html(page.content.decode(), talk.pk)

    assert "Positif" in row and 'aria-label="Sélectionner"' in row
