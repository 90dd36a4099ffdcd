"""Reactions on our post in a real Synapse room, as a poll tallied from reactions reads them:
oldest first, the bot's own left out, a withdrawn reaction gone."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from matrix_room import Person, quote

from chorus.accounts.models import User
from chorus.channels.base import OutgoingPost
from chorus.channels.capabilities import TalliesReactions, capable
from chorus.channels.models import Channel
from chorus.channels.networks.matrix.network import MatrixConnection
from chorus.engagement import poll_tallies, polls
from chorus.engagement.models.polls import CountedBy
from chorus.engagement.poll_tallies import first_choices
from chorus.engagement.polls import EMOJI
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Membership, Role, Workspace
from tests.servers.synapse import RunningSynapse


def react(person: Person | MatrixConnection, room: str, event_id: str, key: str) -> str:
    content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
    path = f"/rooms/{quote(room)}/send/m.reaction/{uuid.uuid4().hex}"
    if isinstance(person, MatrixConnection):
        return str(person._call("PUT", f"/_matrix/client/v3{path}", json=content)["event_id"])
    answer = person.http.put(path, json=content)
    answer.raise_for_status()
    return str(answer.json()["event_id"])


def test_reactions_are_read_for_a_poll(
    alice: MatrixConnection, bob: Person, charlie: Person, room: str
) -> None:
    charlie.join(room).raise_for_status()
    post = alice.publish(OutgoingPost(text="Which flavour?\n1️⃣ Vanilla\n2️⃣ Pistachio"))
    react(alice, room, post.remote_id, EMOJI[0])  # the bot seeding its own: not a vote
    react(bob, room, post.remote_id, EMOJI[1])
    react(bob, room, post.remote_id, EMOJI[0])  # bob's second choice: not a second vote
    withdrawn = react(charlie, room, post.remote_id, EMOJI[0])
    charlie.http.put(
        f"/rooms/{quote(room)}/redact/{quote(withdrawn)}/{uuid.uuid4().hex}", json={}
    ).raise_for_status()
    react(charlie, room, post.remote_id, "👍")  # not a choice
    react(charlie, room, post.remote_id, EMOJI[1])

    reader = capable(alice, TalliesReactions)
    assert reader is not None
    reactions = reader.reactions(post.remote_id)

    assert [(r.sender, r.key) for r in reactions] == [
        (bob.user_id, EMOJI[1]),
        (bob.user_id, EMOJI[0]),
        (charlie.user_id, "👍"),
        (charlie.user_id, EMOJI[1]),
    ]
    votes = first_choices(((r.sender, r.key) for r in reactions), EMOJI[:2])
    assert votes == {bob.user_id: 1, charlie.user_id: 1}


@pytest.mark.django_db
def test_a_poll_in_a_matrix_room_is_tallied_from_reactions(
    synapse: RunningSynapse, bob: Person, room: str
) -> None:
    # Here ``alice`` and ``bob`` are Matrix accounts: the workspace and its owner are made here.
    owner = User.objects.create_user(email="owner@example.org", password="x", full_name="Owner")
    workspace_a = Workspace.objects.create(name="Brand A", slug="brand-a")
    Membership.objects.create(workspace=workspace_a, user=owner, role=Role.OWNER)
    channel = Channel(
        workspace=workspace_a, network="matrix", name="Room", remote_id=room,
        settings={"base_url": synapse.base_url, "room": room},
    )  # fmt: skip
    channel.credentials = synapse.users["alice"].credentials()
    channel.save()
    poll = polls.create_poll(
        workspace_a, owner, "Which flavour?", ["Vanilla", "Pistachio"],
        timezone.now() + timedelta(hours=1), [channel],
    )  # fmt: skip
    polls.publish_poll(poll, owner)
    target = PostTarget.objects.get(post=poll.post)
    publish_target(target.pk)  # what the queue's worker does
    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert "2️⃣ Pistachio" in bob.event(room, target.remote_id)["content"]["body"]
    react(bob, room, target.remote_id, EMOJI[1])

    poll_tallies.tally_poll(poll)

    tally = poll.tallies.get()
    assert (tally.counted_by, tally.counts, tally.voters) == (CountedBy.REACTIONS, [0, 1], 1)
