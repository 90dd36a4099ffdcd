"""A real Synapse on loopback for the whole session, a fresh room per test, and the recordings."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
if str(REPO) not in sys.path:  # `tests.servers` is imported as a package from the repository root
    sys.path.insert(0, str(REPO))

from matrix_room import Person  # noqa: E402

from chorus.channels.networks.matrix.network import Matrix, MatrixConnection  # noqa: E402
from tests.servers.synapse import RunningSynapse  # noqa: E402


@pytest.fixture
def bob(synapse: RunningSynapse) -> Iterator[Person]:
    person = Person(synapse, "bob")
    yield person
    person.http.close()


@pytest.fixture
def charlie(synapse: RunningSynapse) -> Iterator[Person]:
    person = Person(synapse, "charlie")
    yield person
    person.http.close()


@pytest.fixture
def alice_person(synapse: RunningSynapse) -> Iterator[Person]:
    person = Person(synapse, "alice")
    yield person
    person.http.close()


@pytest.fixture
def room(alice_person: Person, bob: Person) -> str:
    """A fresh public room made by alice (our bot account, so admin of it) that bob has joined."""
    alias = f"chorus-{uuid.uuid4().hex[:8]}"
    made = alice_person.http.post(
        "/createRoom", json={"preset": "public_chat", "room_alias_name": alias, "name": alias}
    )
    made.raise_for_status()
    room_id = str(made.json()["room_id"])
    bob.join(room_id).raise_for_status()
    return room_id


@pytest.fixture
def alice(synapse: RunningSynapse, room: str) -> Iterator[MatrixConnection]:
    """The Chorus channel: alice's bot account announcing in ``room``."""
    connection = Matrix.connect(
        synapse.users["alice"].credentials(), {"base_url": synapse.base_url, "room": room}
    )
    assert isinstance(connection, MatrixConnection)
    yield connection
    connection.close()
