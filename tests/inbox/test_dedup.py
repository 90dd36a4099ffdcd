"""A message is stored once, however often and however overlapping the batches that bring it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from chorus.inbox import ingest as ingest_module
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Author, Conversation, Message
from tests.inbox.ingest_support import item, make_channel, person


def test_same_batch_twice_stores_each_message_once(workspace_a) -> None:
    channel = make_channel(workspace_a)
    batch = [item("m1"), item("m2", minutes=1), item("m3", thread="thread-2", minutes=2)]

    first = ingest(channel, batch)
    second = ingest(channel, batch)

    assert (first.new_messages, first.new_conversations, first.duplicates) == (3, 2, 0)
    assert (second.new_messages, second.new_conversations, second.duplicates) == (0, 0, 3)
    assert Message.objects.filter(channel=channel).count() == 3
    assert Conversation.objects.get(remote_id="thread-1").message_count == 2
    assert Author.objects.get(remote_id="user-1").message_count == 3


def test_overlapping_batches_store_only_what_is_new(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1"), item("m2", minutes=1)])

    result = ingest(channel, [item("m2", minutes=1), item("m3", minutes=2)])

    assert (result.new_messages, result.duplicates) == (1, 1)
    assert [m.remote_id for m in result.messages] == ["m3"]
    thread = Conversation.objects.get(remote_id="thread-1")
    assert thread.message_count == 3
    assert thread.preview == "Hello, where is my order?"


def test_an_item_twice_in_one_batch_is_kept_once(workspace_a) -> None:
    channel = make_channel(workspace_a)

    result = ingest(channel, [item("m1"), item("m1"), item("m2", author=person(2))])

    assert (result.new_messages, result.duplicates) == (2, 1)
    assert Author.objects.filter(workspace=workspace_a).count() == 2


def test_the_same_remote_id_on_two_channels_is_two_messages(workspace_a, workspace_c) -> None:
    ours = make_channel(workspace_a)
    theirs = make_channel(workspace_c)

    ingest(ours, [item("m1")])
    ingest(theirs, [item("m1")])

    assert Message.objects.filter(workspace=workspace_a).count() == 1
    assert Message.objects.filter(workspace=workspace_c).count() == 1
    # Authors are per workspace: charlie's copy of user-1 is not alice's.
    assert Author.objects.filter(remote_id="user-1").count() == 2


def test_a_row_slipped_in_after_the_check_is_neither_an_error_nor_counted(
    workspace_a, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window between "what is stored?" and the insert, forced open."""
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    monkeypatch.setattr(ingest_module, "_not_stored", lambda channel, items: items)

    result = ingest(channel, [item("m1"), item("m2", minutes=1)])

    assert [m.remote_id for m in result.messages] == ["m2"]
    assert Message.objects.filter(channel=channel).count() == 2


def test_a_conversation_another_writer_made_first_is_joined_not_doubled(
    workspace_a, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our look-up missed it (made since): the insert leaves it out, and the thread is found."""
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    look_up = ingest_module._conversations
    looks: list[list[str]] = []

    def first_look_misses(channel, keys):  # type: ignore[no-untyped-def]
        looks.append(keys)
        return {} if len(looks) == 1 else look_up(channel, keys)

    monkeypatch.setattr(ingest_module, "_conversations", first_look_misses)

    result = ingest(channel, [item("m2", minutes=1)])

    assert (result.new_messages, result.new_conversations) == (1, 0)
    thread = Conversation.objects.get(channel=channel)
    assert thread.message_count == 2
    assert set(thread.messages.values_list("remote_id", flat=True)) == {"m1", "m2"}


# The in-memory SQLite test database locks whole tables across threads.
@pytest.mark.database("postgresql")
@pytest.mark.django_db(transaction=True)
def test_a_webhook_racing_a_poll_never_duplicates_nor_fails(workspace_a) -> None:
    channel = make_channel(workspace_a)
    batch = [item(f"m{n}", minutes=n, thread=f"t{n % 7}") for n in range(60)]
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            ingest(channel, batch)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    racers = [threading.Thread(target=deliver) for _ in range(4)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert errors == []
    assert Message.objects.filter(channel=channel).count() == 60
    assert Conversation.objects.filter(channel=channel).count() == 7
    assert sum(Conversation.objects.values_list("message_count", flat=True)) == 60
    assert Author.objects.get(remote_id="user-1").message_count == 60
