"""The inbox search through its index finds exactly what the plain scan found, on both databases.

The reference below is the search as it was before the index (a correlated scan of every
conversation's messages); whatever the index proposes, the results must be the same, query by
query: case, accents, LIKE wildcards, quotes, short queries, edited and deleted messages.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from chorus.accounts.models import User
from chorus.inbox import listing, search
from chorus.inbox.listing import InboxFilter
from chorus.inbox.models import Author, Conversation, Message
from chorus.workspaces.models import Workspace
from tests.inbox import factories

QUERIES = [
    "parcel", "PARCEL", "rcel", "8812", "tracking number 8812", "parcel 8812",
    "énorme", "ÉNORME", "norme", "Ça ne", "ça ne",
    "0% r", "100%", "é_v", "_", "%",
    '"hello"', 'said "', "hello",
    "ab", "a", "@noe", "noe", "Noé", "zzq none",
]  # fmt: skip


def as_before(workspace: Workspace, q: str) -> set[int]:
    handle = q.lstrip("@")
    in_messages = Message.objects.filter(conversation=OuterRef("pk"), text__icontains=q)
    found = Conversation.objects.filter(workspace=workspace).filter(
        Q(preview__icontains=q)
        | Q(author__handle__icontains=handle)
        | Q(author__display_name__icontains=q)
        | Q(Exists(in_messages))
    )
    return set(found.values_list("pk", flat=True))


def searched(workspace: Workspace, user: User, q: str) -> set[int]:
    chosen = InboxFilter(status="any", q=q)
    return set(listing.conversations(workspace, chosen, user).values_list("pk", flat=True))


@pytest.fixture
def inbox(workspace_a: Workspace, workspace_c: Workspace) -> dict[str, Conversation]:
    mine = factories.channel(workspace_a, "mastodon")
    theirs = factories.channel(workspace_c, "mastodon")
    fan = factories.author(workspace_a, handle="noe@piaille.fr", display_name="Noé")
    talks = {
        "parcel": factories.conversation(mine, "Where is my PARCEL?", by=fan),
        "accents": factories.conversation(mine, "Ça ne marche pas, ÉNORME problème"),
        "wildcards": factories.conversation(mine, "100% remboursé_vite svp"),
        "quotes": factories.conversation(mine, 'He said "hello" twice'),
        "short": factories.conversation(mine, "ab"),
        "elsewhere": factories.conversation(theirs, "My parcel too, 8812"),
    }
    older = talks["parcel"].last_message_at - timedelta(minutes=5)
    factories.message(talks["parcel"], "tracking number 8812", at=older)  # not in the preview
    return talks


def test_the_index_finds_what_the_scan_found(
    alice: User, workspace_a: Workspace, inbox: dict[str, Conversation]
) -> None:
    for q in QUERIES:
        assert searched(workspace_a, alice, q) == as_before(workspace_a, q), q
    assert searched(workspace_a, alice, "8812") == {inbox["parcel"].pk}  # not C's


def uses_index(workspace: Workspace, q: str) -> bool:
    """Whether the search of ``q`` starts from the indexes rather than scanning (the index path
    states the workspace as ``workspace_id + 0``)."""
    sql = str(search.conversations_matching(workspace, q).query)
    return '"workspace_id" + 0)' in sql


def test_the_index_is_used_from_three_characters(workspace_a: Workspace, inbox) -> None:  # type: ignore[no-untyped-def]
    assert uses_index(workspace_a, "parcel")
    assert uses_index(workspace_a, "zzq none")  # nothing found, nothing scanned
    assert uses_index(workspace_a, "@noe")
    assert not uses_index(workspace_a, "ab")  # too short for trigrams: scanned


def test_edited_and_deleted_messages_are_searched_as_they_are_now(
    alice: User, workspace_a: Workspace, inbox: dict[str, Conversation]
) -> None:
    edited = Message.objects.get(conversation=inbox["quotes"])
    Message.objects.filter(pk=edited.pk).update(text="Finally delivered, merci")
    Conversation.objects.filter(pk=inbox["quotes"].pk).update(preview="")
    Message.objects.filter(text="tracking number 8812").delete()

    for q in ("hello", "delivered", "MERCI", "8812", "tracking"):
        assert searched(workspace_a, alice, q) == as_before(workspace_a, q), q
    assert searched(workspace_a, alice, "delivered") == {inbox["quotes"].pk}
    assert searched(workspace_a, alice, "hello") == set()
    assert searched(workspace_a, alice, "tracking") == set()


@pytest.mark.database("sqlite")  # SQLite's FTS5 index
def test_without_its_triggers_the_index_is_not_trusted(
    alice: User, workspace_a: Workspace, inbox: dict[str, Conversation]
) -> None:
    """A migration that rebuilds inbox_message drops them: scan rather than miss messages."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER inbox_message_search_insert")  # undone with the test
    late = factories.conversation(factories.channel(workspace_a), "Unindexed parcel")

    assert not uses_index(workspace_a, "unindexed")
    assert searched(workspace_a, alice, "unindexed") == {late.pk}


def test_a_word_in_too_many_messages_or_authors_is_scanned_for(
    alice: User, workspace_a: Workspace, inbox, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    factories.message(inbox["quotes"], "Parcel again")
    monkeypatch.setattr(search, "MAX_MESSAGES", 1)
    assert not uses_index(workspace_a, "parcel")  # in two messages
    assert uses_index(workspace_a, "hello")  # in one
    monkeypatch.setattr(search, "MAX_AUTHORS", 0)
    assert not uses_index(workspace_a, "@noe")  # one author, more than none
    for q in ("parcel", "hello", "@noe"):
        assert searched(workspace_a, alice, q) == as_before(workspace_a, q)


@pytest.mark.database("postgresql")  # PostgreSQL's trigram indexes
def test_postgresql_can_use_the_trigram_indexes_for_the_search(workspace_a: Workspace) -> None:
    """They are on UPPER(…): the very expression Django's icontains compares."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: force the choice
    plan = Message.objects.filter(text__icontains="parcel").explain()
    assert "inbox_message_text_trgm" in plan
    authors = Author.objects.filter(Q(handle__icontains="noe") | Q(display_name__icontains="noe"))
    plan = authors.explain()
    assert "inbox_author_handle_trgm" in plan and "inbox_author_name_trgm" in plan


@pytest.mark.database("sqlite")  # SQLite's planner, without statistics
def test_sqlite_reads_only_the_messages_the_index_proposes(workspace_a: Workspace, inbox) -> None:  # type: ignore[no-untyped-def]
    """Not every message of the workspace through message_recent, met against the proposals:
    that walk costs ~120 ms per search in an inbox of a million messages, this ~1 ms."""
    proposed = search._few_messages(workspace_a, "parcel")
    assert proposed is not None

    plan = proposed.explain()

    assert "USING INTEGER PRIMARY KEY" in plan
    assert "message_recent" not in plan and "workspace_id=?" not in plan
