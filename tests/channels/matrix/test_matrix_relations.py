"""Threads and replies: a thread continues under our first post, an answer quotes its message."""

from __future__ import annotations

from matrix_room import Person

from chorus.channels.base import OutgoingPost
from chorus.channels.networks.matrix.network import MatrixConnection


def test_a_thread_continues_under_the_first_post(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    first = alice.publish(OutgoingPost(text="1/3 Big news", idempotency_key="t-1"))
    second = alice.publish(
        OutgoingPost(text="2/3 details", reply_to=first.remote_id, idempotency_key="t-2")
    )
    third = alice.publish(
        OutgoingPost(text="3/3 the end", reply_to=second.remote_id, idempotency_key="t-3")
    )

    for part, previous in ((second, first), (third, second)):
        relation = bob.event(room, part.remote_id)["content"]["m.relates_to"]
        assert relation["rel_type"] == "m.thread"
        assert relation["event_id"] == first.remote_id  # the thread's root, for every part
        assert relation["m.in_reply_to"] == {"event_id": previous.remote_id}
        assert relation["is_falling_back"] is True


def test_an_answer_to_someone_is_a_reply(alice: MatrixConnection, bob: Person, room: str) -> None:
    question = bob.say(room, "When is the meetup?")
    answer = alice.publish(
        OutgoingPost(text="Saturday at 3pm!", reply_to=question, idempotency_key="r-1")
    )
    relation = bob.event(room, answer.remote_id)["content"]["m.relates_to"]
    assert relation == {"m.in_reply_to": {"event_id": question}}


def test_an_answer_inside_someones_thread_stays_in_it(
    alice: MatrixConnection, bob: Person, room: str
) -> None:
    root = bob.say(room, "Thread about the venue")
    inside = bob.say(
        room,
        "Is there parking?",
        **{
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": root},
            }
        },
    )
    answer = alice.publish(
        OutgoingPost(text="Yes, 40 places", reply_to=inside, idempotency_key="r-2")
    )
    relation = bob.event(room, answer.remote_id)["content"]["m.relates_to"]
    assert relation["rel_type"] == "m.thread" and relation["event_id"] == root
    assert relation["m.in_reply_to"] == {"event_id": inside}
    assert relation["is_falling_back"] is False  # a real reply to bob's message, not a fallback
