"""Threads (a post answering our previous one) and replies to someone else's message."""

from __future__ import annotations

from mastodon_recordings import Recording, json_body

from chorus.channels.base import OutgoingPost


def test_thread_part_answers_the_previous_part() -> None:
    recording = Recording.of("test_id_hook_in_reply_to.yaml")
    connection = recording.connect()

    first = connection.publish(OutgoingPost(text="one", idempotency_key="t-1"))
    second = connection.publish(OutgoingPost(text="two", reply_to=first.remote_id))

    bodies = [json_body(r) for r in recording.requests("POST", "/api/v1/statuses")]
    assert "in_reply_to_id" not in bodies[0]
    assert bodies[1]["in_reply_to_id"] == first.remote_id
    assert second.remote_id != first.remote_id


def test_reply_mentions_the_author_and_keeps_the_visibility() -> None:
    # The message answered is the one in test_status (by mastodonpy_test, unlisted); the reply
    # itself and our own account come from test_status_reply.
    recording = Recording.of("test_status.yaml", "test_status_reply.yaml")
    recording.answers = [a for a in recording.answers if a.method != "POST" or b"same!" in a.body]
    original_id = "117020583223442465"

    published = recording.connect().reply(original_id, "thanks!", idempotency_key="reply-7")

    (request,) = recording.requests("POST", "/api/v1/statuses")
    body = json_body(request)
    assert body["status"] == "@mastodonpy_test thanks!"
    assert body["in_reply_to_id"] == original_id
    assert body["visibility"] == "unlisted"
    assert request.headers["idempotency-key"] == "reply-7"
    assert published.remote_id == "117020583258292382"


def test_reply_does_not_mention_twice() -> None:
    from chorus.channels.networks.mastodon.posting import addressed_to

    assert addressed_to("alice@example.social", "@Alice@example.social hi") == (
        "@Alice@example.social hi"
    )
    assert addressed_to("alice", "hi") == "@alice hi"
