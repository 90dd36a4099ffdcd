"""Deleting a post; one already gone counts as deleted."""

from __future__ import annotations

from mastodon_recordings import Recording


def test_delete_post() -> None:
    recording = Recording.of("test_toot.yaml")
    recording.connect().delete("117020585846976096")

    (request,) = recording.requests("DELETE", "/api/v1/statuses/117020585846976096")
    assert request.headers["authorization"].startswith("Bearer ")


def test_deleting_a_post_already_gone_is_not_an_error() -> None:
    recording = Recording.of("test_status_delete_media.yaml")
    gone = "/api/v1/statuses/117020606379845323"
    recording.answers = [a for a in recording.answers if a.path == gone and a.status == 404]

    recording.connect().delete("117020606379845323")

    assert len(recording.requests("DELETE", gone)) == 1
