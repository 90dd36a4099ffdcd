"""Moderating the room: redact a message, kick, ban (no way back in) and unban."""

from __future__ import annotations

import pytest
from matrix_room import Person, quote

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection
from tests.servers.synapse import RunningSynapse


def membership(person: Person, room: str, user_id: str) -> str:
    state = person.http.get(f"/rooms/{quote(room)}/state/m.room.member/{quote(user_id)}")
    return str(state.json().get("membership", "")) if state.is_success else ""


def test_redact_removes_a_message_for_everyone(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    spam = bob.say(room, "Buy cheap watches")
    alice.redact(spam, reason="spam")
    event = bob.event(room, spam)
    assert event["content"] == {}
    assert event["unsigned"]["redacted_because"]["content"]["reason"] == "spam"


def test_delete_redacts_our_own_post(alice: MatrixConnection, bob: Person, room: str) -> None:
    published = alice.publish(OutgoingPost(text="Posted too early", idempotency_key="del-1"))
    alice.delete(published.remote_id)
    assert bob.event(room, published.remote_id)["content"] == {}
    assert alice.recent_posts() == []


def test_kick_removes_but_lets_them_come_back(
    alice: MatrixConnection, alice_person: Person, bob: Person, room: str
) -> None:
    alice.kick(bob.user_id, reason="cool down")
    assert membership(alice_person, room, bob.user_id) == "leave"
    assert bob.join(room).is_success


def test_ban_keeps_them_out_until_unbanned(
    alice: MatrixConnection, alice_person: Person, bob: Person, room: str
) -> None:
    alice.ban(bob.user_id, reason="harassment")
    assert membership(alice_person, room, bob.user_id) == "ban"
    assert bob.join(room).status_code == 403

    alice.unban(bob.user_id)
    assert bob.join(room).is_success


def test_moderating_without_power_is_refused_clearly(
    synapse: RunningSynapse, alice_person: Person, bob: Person, charlie: Person, room: str
) -> None:
    # bob as the bot account: a plain member, power level 0.
    charlie.join(room).raise_for_status()
    as_bob = Matrix.connect(
        synapse.users["bob"].credentials(), {"base_url": synapse.base_url, "room": room}
    )
    assert isinstance(as_bob, MatrixConnection)
    with pytest.raises(Permanent) as refused:
        as_bob.kick(charlie.user_id)
    assert "raise its power level" in refused.value.message
    assert membership(alice_person, room, charlie.user_id) == "join"
