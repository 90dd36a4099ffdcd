"""Reading back our latest posts, to reconcile a publication whose answer was lost."""

from __future__ import annotations

from matrix_room import Person

from chorus.channels.base import OutgoingPost
from chorus.channels.networks.matrix.network import MatrixConnection


def test_recent_posts_lists_only_ours_newest_first(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    first = alice.publish(OutgoingPost(text="first", idempotency_key="rp-1"))
    bob.say(room, "not ours")
    second = alice.publish(OutgoingPost(text="second", idempotency_key="rp-2"))

    posts = alice.recent_posts(limit=10)

    assert [(p.remote_id, p.text) for p in posts] == [
        (second.remote_id, "second"),
        (first.remote_id, "first"),
    ]
    assert all(p.published_at is not None and p.url.startswith("https://matrix.to/") for p in posts)
