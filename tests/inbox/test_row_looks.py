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


def test_a_page_reads_what_the_orm_reads(alice, bob, workspace_a) -> None:
    """listing.page_rows reads the rows by hand around the ORM's selection: the same values,
    dates aware as the ORM gives them, the latest incoming message's state and intent, labels
    by name."""
    from chorus.inbox import listing
    from chorus.inbox.models import Message
    from chorus.inbox.previews import latest_incoming_state

    channel = factories.channel(workspace_a, "matrix")
    named = factories.conversation(channel, "Hidden words", intent="complaint")
    services.assign(named, bob, alice)
    for name in ("Zebra", "Apple"):
        services.add_label(named, Label.objects.create(workspace=workspace_a, name=name), alice)
    named.messages.update(hidden=True)
    nameless = factories.conversation(channel, "Gone", intent="praise")
    Conversation.objects.filter(pk=nameless.pk).update(author=None)
    nameless.messages.update(deleted=True)
    quiet = factories.conversation(channel, "Only ours")
    quiet.messages.update(direction="out")  # no incoming message: no state, no intent
    later = factories.conversation(channel, "Newest", intent="purchase_intent")
    factories.message(later, "older question", at=later.last_message_at - timedelta(hours=1))

    found = listing.conversations(workspace_a, listing.InboxFilter(status="any"), alice)
    rows, _next = listing.page(found)

    expected = list(
        found.annotate(preview_state=latest_incoming_state()).values(
            "pk", "kind", "preview", "status", "priority", "sentiment", "last_message_at",
            "response_due_at", "channel__network", "author_id", "author__handle",
            "author__display_name", "assignee_id", "assignee__email", "preview_state",
        )
    )  # fmt: skip
    assert [row["pk"] for row in rows] == [talk["pk"] for talk in expected]
    for row, talk in zip(rows, expected, strict=True):
        assert row["last_message_at"] == talk["last_message_at"]
        assert row["last_message_at"].utcoffset() is not None
        assert row["network"] == talk["channel__network"] == "matrix"
        assert (row["author_id"], row["handle"], row["display_name"]) == (
            talk["author_id"], talk["author__handle"], talk["author__display_name"],
        )  # fmt: skip
        assert (row["assignee_id"], row["assignee_email"]) == (
            talk["assignee_id"], talk["assignee__email"],
        )  # fmt: skip
        assert row["preview_state"] == (talk["preview_state"] or "")
        for key in ("kind", "preview", "status", "priority", "sentiment", "response_due_at"):
            assert row[key] == talk[key], key
    by_pk = {row["pk"]: row for row in rows}
    assert by_pk[named.pk]["labels"] == [("Apple", "#6b7280"), ("Zebra", "#6b7280")]
    assert (by_pk[named.pk]["preview_state"], by_pk[named.pk]["intent"]) == ("hidden", "complaint")
    assert (by_pk[nameless.pk]["preview_state"], by_pk[nameless.pk]["intent"]) == (
        "deleted",
        "praise",
    )
    assert (by_pk[quiet.pk]["preview_state"], by_pk[quiet.pk]["intent"]) == ("", "")
    assert by_pk[later.pk]["intent"] == "purchase_intent"  # the latest message's, not the older's
    assert Message.objects.filter(conversation=later).count() == 2


def test_a_search_that_finds_nothing_reads_no_row(alice, workspace_a) -> None:
    from chorus.inbox import listing

    factories.conversation(factories.channel(workspace_a), "Hello")
    chosen = listing.InboxFilter(q="nowhere to be found")
    found = listing.conversations(workspace_a, chosen, alice)

    assert listing.page(found) == ([], "")
    assert listing.page_rows(Conversation.objects.none()) == []  # a selection SQL cannot say
