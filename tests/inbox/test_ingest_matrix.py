"""A real Synapse: people write in the room, a poll stores their messages, threaded."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.models import Channel
from chorus.channels.services import connection_for
from chorus.inbox.models import Author, Conversation, Message
from chorus.inbox.polling import poll_channel
from tests.channels.matrix.matrix_room import Person
from tests.servers.synapse import RunningSynapse

pytestmark = pytest.mark.server


@pytest.fixture
def room_people(synapse: RunningSynapse) -> Iterator[dict[str, Person]]:
    people = {name: Person(synapse, name) for name in ("alice", "bob", "charlie")}
    yield people
    for person in people.values():
        person.http.close()


@pytest.fixture
def room(room_people: dict[str, Person]) -> str:
    """A fresh room made by alice (the brand's bot account) that bob and charlie joined."""
    alias = f"ingest-{uuid.uuid4().hex[:8]}"
    made = room_people["alice"].http.post(
        "/createRoom", json={"preset": "public_chat", "room_alias_name": alias}
    )
    made.raise_for_status()
    room_id = str(made.json()["room_id"])
    for name in ("bob", "charlie"):
        room_people[name].join(room_id).raise_for_status()
    return room_id


@pytest.fixture
def channel(workspace_a, synapse: RunningSynapse, room: str) -> Channel:
    user = synapse.users["alice"]
    channel = Channel(
        workspace=workspace_a,
        network="matrix",
        name="Brand room",
        remote_id=user.user_id,
        handle=user.user_id,
        settings={"base_url": synapse.base_url, "room": room},
    )
    channel.credentials = user.credentials()
    channel.save()
    return channel


def publish(channel: Channel, text: str, key: str) -> str:
    connection = connection_for(channel)
    try:
        return connection.publish(OutgoingPost(text=text, idempotency_key=key)).remote_id
    finally:
        connection.close()


def test_what_people_say_is_stored_once_in_the_room_conversation(
    channel: Channel, room: str, room_people: dict[str, Person]
) -> None:
    bob = room_people["bob"]
    bob.say(room, "Bonjour, vous livrez en Belgique ?")
    first = poll_channel(channel)
    bob.say(room, "Et en Suisse ?")
    second = poll_channel(channel)
    third = poll_channel(channel)

    assert (first.result.new_messages, second.result.new_messages) == (1, 1)
    assert third.result.new_messages == 0 and third.error == ""
    conversation = Conversation.objects.get(channel=channel)
    assert conversation.remote_id == room
    assert conversation.message_count == 2
    assert conversation.preview == "Et en Suisse ?"
    author = Author.objects.get(workspace=channel.workspace, remote_id=bob.user_id)
    assert (author.display_name, author.message_count) == ("bob", 2)


def test_reply_chains_and_threads(
    channel: Channel, room: str, room_people: dict[str, Person]
) -> None:
    bob, charlie = room_people["bob"], room_people["charlie"]
    ours = publish(channel, "Quel livre pour le club de lecture ?", "ingest-1")
    answer = bob.say(
        room,
        f"> <{channel.remote_id}> Quel livre ?\n\nDune !",
        **{"m.relates_to": {"m.in_reply_to": {"event_id": ours}}},
    )
    charlie.say(room, "+1", **{"m.relates_to": {"m.in_reply_to": {"event_id": answer}}})
    root = bob.say(room, "Une question sur ma commande")
    in_thread = {"rel_type": "m.thread", "event_id": root, "is_falling_back": True}
    charlie.say(room, "Même souci ici", **{"m.relates_to": in_thread})

    outcome = poll_channel(channel)

    assert outcome.error == ""
    chain = list(
        Message.objects.filter(conversation__remote_id=room).values_list(
            "text", "kind", "in_reply_to"
        )
    )
    assert chain == [
        ("Dune !", "reply", ours),
        ("+1", "comment", answer),
        ("Une question sur ma commande", "comment", ""),
    ]
    thread = Conversation.objects.get(channel=channel, remote_id=root)
    assert list(thread.messages.values_list("text", flat=True)) == ["Même souci ici"]
    assert Conversation.objects.filter(channel=channel).count() == 2
