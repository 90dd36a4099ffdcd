"""Room members, and the reactions and replies to our posts, counted by the REAL Synapse."""

from __future__ import annotations

import uuid

import pytest
from matrix_room import Person, quote

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent
from chorus.channels.metrics import collect_metrics
from chorus.channels.models import Channel
from chorus.channels.networks.matrix.network import MatrixConnection
from chorus.workspaces.models import Workspace
from tests.servers.synapse import RunningSynapse


def react(person: Person, room: str, event_id: str, key: str) -> None:
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    path = f"/rooms/{quote(room)}/send/m.reaction/{uuid.uuid4().hex}"
    person.http.put(path, json=content).raise_for_status()


def in_thread(event_id: str) -> dict[str, object]:
    return {
        "m.relates_to": {
            "rel_type": "m.thread",
            "event_id": event_id,
            "is_falling_back": True,
            "m.in_reply_to": {"event_id": event_id},
        }
    }


def replying_to(event_id: str) -> dict[str, object]:
    return {"m.relates_to": {"m.in_reply_to": {"event_id": event_id}}}


@pytest.fixture
def answered(alice: MatrixConnection, bob: Person, charlie: Person, room: str) -> str:
    """Our post with two reactions, a thread reply, a plain reply, and our own noise."""
    charlie.join(room).raise_for_status()
    post = alice.publish(OutgoingPost(text="Our launch is today")).remote_id
    react(bob, room, post, "👍")
    react(charlie, room, post, "🎉")
    bob.say(room, "Congratulations!", **in_thread(post))
    charlie.say(room, "Where can I buy it?", **replying_to(post))
    bob.say(room, "Unrelated chatter")
    alice.publish(OutgoingPost(text="Part two of our thread", reply_to=post))  # ours: not counted
    return post


def test_reactions_and_replies_to_our_post_are_counted(
    alice: MatrixConnection, answered: str
) -> None:
    figures = alice.metrics(answered)

    assert figures.replies == 2  # the thread reply and the plain reply, not our own part
    assert figures.extra == {"reactions": 2}


def test_the_room_members_are_the_audience(alice: MatrixConnection, answered: str) -> None:
    assert alice.audience() == {"members": 3}  # the bot, bob and charlie


def test_a_deleted_post_has_no_figures(alice: MatrixConnection, bob: Person, room: str) -> None:
    post = alice.publish(OutgoingPost(text="Oops")).remote_id
    alice.delete(post)

    with pytest.raises(Permanent, match="deleted"):
        alice.metrics(post)


@pytest.mark.django_db
def test_collect_metrics_reads_what_matrix_declares(
    synapse: RunningSynapse, room: str, answered: str
) -> None:
    workspace = Workspace.objects.create(name="Room brand", slug="room-brand")
    channel = Channel(workspace=workspace, network="matrix", name="Room", remote_id=room)
    channel.credentials = synapse.users["alice"].credentials()
    channel.settings = {"base_url": synapse.base_url, "room": room}
    channel.save()

    reading = collect_metrics(channel, [answered, "$gone:localhost"])

    assert reading.posts == {answered: {"reactions": 2, "replies": 2}}
    assert reading.account == {"members": 3}
    assert reading.missing == ["$gone:localhost"]
