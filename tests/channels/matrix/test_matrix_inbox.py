"""The inbox: what other people say in the room, once each, as comments or replies to us."""

from __future__ import annotations

import pytest
from matrix_room import Person, quote

from chorus.channels.base import OutgoingPost
from chorus.channels.networks.matrix.network import MatrixConnection


def test_first_fetch_reads_what_others_said_not_our_own(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    bob.say(room, "Hi all")
    alice.publish(OutgoingPost(text="Welcome, bob!", idempotency_key="in-1"))
    said = bob.say(room, "Thanks <3")

    page = alice.fetch_inbox()

    assert [item.text for item in page.items] == ["Hi all", "Thanks <3"]
    last = page.items[-1]
    assert last.remote_id == said and last.kind == "comment"
    assert last.conversation_id == said  # a top-level message starts its own conversation
    assert last.author.remote_id == last.author.handle == "@bob:localhost"
    assert last.author.display_name == "bob"
    assert last.created_at.tzinfo is not None
    assert page.cursor


def test_the_cursor_continues_without_duplicates(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    bob.say(room, "one")
    first = alice.fetch_inbox()
    bob.say(room, "two")
    bob.say(room, "three")
    second = alice.fetch_inbox(first.cursor)
    third = alice.fetch_inbox(second.cursor)

    assert [item.text for item in first.items] == ["one"]
    assert [item.text for item in second.items] == ["two", "three"]
    assert third.items == [] and third.cursor


def test_a_long_pause_is_caught_up_in_full(
    alice: MatrixConnection, bob: Person, room: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(alice, "sync_limit", 2)  # so five messages overflow one /sync page
    cursor = alice.fetch_inbox().cursor
    for number in range(5):
        bob.say(room, f"message {number}")
    page = alice.fetch_inbox(cursor)
    assert [item.text for item in page.items] == [f"message {n}" for n in range(5)]


def test_a_reply_to_our_post_is_a_reply(alice: MatrixConnection, bob: Person, room: str) -> None:
    ours = alice.publish(OutgoingPost(text="What should we read next?", idempotency_key="in-2"))
    cursor = alice.fetch_inbox().cursor
    bob.say(
        room,
        "> <@alice:localhost> What should we read next?\n\nDune!",
        **{"m.relates_to": {"m.in_reply_to": {"event_id": ours.remote_id}}},
    )
    [reply] = alice.fetch_inbox(cursor).items
    assert reply.kind == "reply"
    assert reply.in_reply_to == ours.remote_id
    assert reply.text == "Dune!"  # the quoted fallback older clients add is dropped


def test_a_reply_to_someone_else_is_a_comment(
    alice: MatrixConnection, bob: Person, charlie: Person, room: str
) -> None:
    charlie.join(room).raise_for_status()
    question = charlie.say(room, "Anyone going?")
    bob.say(room, "Me!", **{"m.relates_to": {"m.in_reply_to": {"event_id": question}}})
    items = alice.fetch_inbox().items
    assert [(item.text, item.kind, item.in_reply_to) for item in items] == [
        ("Anyone going?", "comment", ""),
        ("Me!", "comment", question),
    ]


def test_a_message_in_a_thread_under_our_post_belongs_to_that_thread(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    ours = alice.publish(OutgoingPost(text="Feedback thread", idempotency_key="in-3"))
    thread = {
        "rel_type": "m.thread",
        "event_id": ours.remote_id,
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": ours.remote_id},
    }
    bob.say(room, "Loved it", **{"m.relates_to": thread})
    [item] = alice.fetch_inbox().items
    assert item.conversation_id == ours.remote_id
    assert item.kind == "reply"


def test_deleted_messages_are_left_out_and_edits_read_as_edited(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    gone = bob.say(room, "oops, wrong room")
    bob.http.put(f"/rooms/{quote(room)}/redact/{quote(gone)}/r1", json={}).raise_for_status()
    typo = bob.say(room, "Se you soon")
    bob.say(
        room,
        "* See you soon",
        **{
            "m.new_content": {"msgtype": "m.text", "body": "See you soon"},
            "m.relates_to": {"rel_type": "m.replace", "event_id": typo},
        },
    )
    items = alice.fetch_inbox().items
    assert [(item.remote_id, item.text) for item in items] == [(typo, "See you soon")]


def test_a_busy_room_is_many_conversations(
    alice: MatrixConnection, bob: Person, charlie: Person, room: str
) -> None:
    """Each top-level message starts one; replies and thread messages join the one they answer,
    however deep the chain and even when what they answer came on an earlier page."""
    charlie.join(room).raise_for_status()
    question = bob.say(room, "Do you ship to Belgium?")
    other = charlie.say(room, "Is the shop open on Sunday?")
    cursor = alice.fetch_inbox().cursor
    answer = charlie.say(
        room, "Yes!", **{"m.relates_to": {"m.in_reply_to": {"event_id": question}}}
    )
    bob.say(room, "Thanks", **{"m.relates_to": {"m.in_reply_to": {"event_id": answer}}})
    in_thread = {"rel_type": "m.thread", "event_id": other, "is_falling_back": True}
    bob.say(room, "Same question", **{"m.relates_to": in_thread})

    items = alice.fetch_inbox(cursor).items

    assert [(item.text, item.conversation_id) for item in items] == [
        ("Yes!", question),
        ("Thanks", question),
        ("Same question", other),
    ]


def test_a_reply_to_our_post_joins_that_posts_conversation(
    alice: MatrixConnection, bob: Person, charlie: Person, room: str
) -> None:
    charlie.join(room).raise_for_status()
    ours = alice.publish(OutgoingPost(text="What should we read?", idempotency_key="in-4"))
    cursor = alice.fetch_inbox().cursor
    dune = bob.say(
        room, "Dune!", **{"m.relates_to": {"m.in_reply_to": {"event_id": ours.remote_id}}}
    )
    charlie.say(room, "+1", **{"m.relates_to": {"m.in_reply_to": {"event_id": dune}}})

    items = alice.fetch_inbox(cursor).items

    assert [(i.text, i.kind, i.conversation_id) for i in items] == [
        ("Dune!", "reply", ours.remote_id),
        ("+1", "comment", ours.remote_id),
    ]
