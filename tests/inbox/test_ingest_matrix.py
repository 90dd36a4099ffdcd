"""A real Synapse: people write in the room, a poll stores their messages, threaded."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.models import Channel
from chorus.channels.services import connection_for
from chorus.inbox.models import Author, Conversation
from chorus.inbox.polling import poll_channel
from chorus.publishing import services
from chorus.publishing.models import PostTarget, State
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


def test_what_people_say_is_stored_once_each_message_its_own_conversation(
    channel: Channel, room: str, room_people: dict[str, Person]
) -> None:
    bob = room_people["bob"]
    first_said = bob.say(room, "Bonjour, vous livrez en Belgique ?")
    first = poll_channel(channel)
    bob.say(room, "Et en Suisse ?")
    second = poll_channel(channel)
    third = poll_channel(channel)

    assert (first.result.new_messages, second.result.new_messages) == (1, 1)
    assert third.result.new_messages == 0 and third.error == ""
    talks = Conversation.objects.filter(channel=channel).order_by("first_message_at")
    assert [(c.remote_id == first_said, c.preview) for c in talks] == [
        (True, "Bonjour, vous livrez en Belgique ?"),
        (False, "Et en Suisse ?"),
    ]
    assert not talks.filter(remote_id=room).exists()  # the room is a place, not a conversation
    author = Author.objects.get(workspace=channel.workspace, remote_id=bob.user_id)
    assert (author.display_name, author.message_count) == ("bob", 2)


def test_replies_and_threads_join_the_conversation_they_answer(
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
    poll_channel(channel)  # the thread's root on one poll, the thread on the next
    in_thread = {"rel_type": "m.thread", "event_id": root, "is_falling_back": True}
    charlie.say(room, "Même souci ici", **{"m.relates_to": in_thread})

    outcome = poll_channel(channel)

    assert outcome.error == ""
    on_our_post = Conversation.objects.get(channel=channel, remote_id=ours)
    assert list(on_our_post.messages.values_list("text", "kind", "in_reply_to")) == [
        ("Dune !", "reply", ours),
        ("+1", "comment", answer),
    ]
    assert on_our_post.author.remote_id == bob.user_id  # named after who answered first
    thread = Conversation.objects.get(channel=channel, remote_id=root)
    assert list(thread.messages.values_list("text", flat=True)) == [
        "Une question sur ma commande",
        "Même souci ici",
    ]
    assert Conversation.objects.filter(channel=channel).count() == 2


def test_the_conversation_on_our_post_links_to_the_post(
    alice, alice_client, channel: Channel, room: str, room_people: dict[str, Person]
) -> None:
    post = services.create_post(channel.workspace, alice, "Quel livre ?", [channel])
    target = post.targets.get()
    ours = publish(channel, "Quel livre ?", "ingest-2")
    PostTarget.objects.filter(pk=target.pk).update(state=State.PUBLISHED, remote_id=ours)
    room_people["bob"].say(
        room, "Dune !", **{"m.relates_to": {"m.in_reply_to": {"event_id": ours}}}
    )

    poll_channel(channel)

    talk = Conversation.objects.get(channel=channel, remote_id=ours)
    html = alice_client.get(f"/inbox/{talk.pk}/").content.decode()
    assert f'href="/publishing/posts/{post.pk}/"' in html
    assert "On your post:" in html
