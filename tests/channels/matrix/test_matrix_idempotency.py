"""Publishing twice with the same idempotency key makes one message: the homeserver dedupes."""

from __future__ import annotations

from matrix_room import Person

from chorus.channels.base import OutgoingPost
from chorus.channels.networks.matrix.network import Matrix, MatrixConnection
from tests.servers.synapse import RunningSynapse


def test_a_retry_with_the_same_key_posts_once(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    post = OutgoingPost(text="Only once, please", idempotency_key="target-42-attempt")
    first = alice.publish(post)
    second = alice.publish(post)

    assert first.remote_id == second.remote_id
    bodies = [event["content"].get("body") for event in bob.messages(room)]
    assert bodies.count("Only once, please") == 1


def test_a_retry_from_a_new_worker_connection_posts_once(
    synapse: RunningSynapse, alice: MatrixConnection, bob: Person, room: str
) -> None:
    # The retry usually runs in another worker process: same token, new connection object.
    post = OutgoingPost(text="Retried elsewhere", idempotency_key="target-43-attempt")
    first = alice.publish(post)
    again = Matrix.connect(
        synapse.users["alice"].credentials(), {"base_url": synapse.base_url, "room": room}
    )
    assert again.publish(post).remote_id == first.remote_id
    bodies = [event["content"].get("body") for event in bob.messages(room)]
    assert bodies.count("Retried elsewhere") == 1


def test_different_keys_are_different_messages(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    alice.publish(OutgoingPost(text="Same words", idempotency_key="a"))
    alice.publish(OutgoingPost(text="Same words", idempotency_key="b"))
    bodies = [event["content"].get("body") for event in bob.messages(room)]
    assert bodies.count("Same words") == 2
