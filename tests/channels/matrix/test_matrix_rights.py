"""What the bot may do in the room follows the room's power levels, read from a real Synapse.

The inbox offers Delete, Remove and Ban only when the bot's level allows them; after someone raises
it, checking the channel again brings the buttons back.
"""

from __future__ import annotations

from typing import Any

from matrix_room import Person, quote

from chorus.channels.networks.matrix.moderation import _level
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection
from tests.servers.synapse import RunningSynapse

ALL_VERBS = {"redact", "kick", "ban", "unban"}


def refused_to_bob(synapse: RunningSynapse, room: str) -> frozenset[str]:
    """What bob's account, as a Chorus channel in ``room``, may not do there."""
    connection = Matrix.connect(
        synapse.users["bob"].credentials(), {"base_url": synapse.base_url, "room": room}
    )
    assert isinstance(connection, MatrixConnection)
    try:
        return connection.refused_verbs()
    finally:
        connection.close()


def power_levels(person: Person, room: str) -> dict[str, Any]:
    answer = person.http.get(f"/rooms/{quote(room)}/state/m.room.power_levels")
    answer.raise_for_status()
    return dict(answer.json())


def set_power_levels(person: Person, room: str, levels: dict[str, Any]) -> None:
    person.http.put(
        f"/rooms/{quote(room)}/state/m.room.power_levels", json=levels
    ).raise_for_status()


def test_the_rooms_creator_may_do_everything(alice: MatrixConnection) -> None:
    assert alice.refused_verbs() == frozenset()


def test_a_plain_member_may_moderate_nothing(synapse: RunningSynapse, room: str) -> None:
    assert refused_to_bob(synapse, room) == ALL_VERBS


def test_each_verb_follows_its_own_level(
    synapse: RunningSynapse, alice_person: Person, bob: Person, room: str
) -> None:
    levels = power_levels(alice_person, room)
    levels["users"][bob.user_id] = 30
    set_power_levels(alice_person, room, {**levels, "redact": 25, "kick": 30, "ban": 60})
    assert refused_to_bob(synapse, room) == {"ban", "unban"}


def test_levels_left_out_are_the_specs_defaults(
    synapse: RunningSynapse, alice_person: Person, bob: Person, room: str
) -> None:
    levels = power_levels(alice_person, room)
    for name in ("redact", "kick", "ban"):
        levels.pop(name, None)  # then each is 50
    levels["users"][bob.user_id] = 49
    set_power_levels(alice_person, room, levels)
    assert refused_to_bob(synapse, room) == ALL_VERBS


def test_a_level_written_as_text_is_read_as_a_number() -> None:
    assert _level("50", 0) == 50 and _level("fifty", 7) == 7 and _level(None, 0) == 0
