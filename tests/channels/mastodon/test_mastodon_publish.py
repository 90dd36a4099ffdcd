"""Publishing a post, always with the Idempotency-Key Chorus chose for it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mastodon_recordings import Recording, json_body

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent


def test_publish_text_sends_idempotency_key_and_returns_the_post() -> None:
    recording = Recording.of("test_toot.yaml")
    post = OutgoingPost(text="Toot!", idempotency_key="target-42-v1")

    published = recording.connect().publish(post)

    assert published.remote_id == "117020585846976096"
    assert published.url == "http://localhost:3000/@mastodonpy_test/117020585846976096"
    assert published.text == "Toot!"
    assert published.published_at == datetime(2026, 8, 1, 13, 53, 55, 410000, tzinfo=UTC)
    (request,) = recording.requests("POST", "/api/v1/statuses")
    assert request.headers["idempotency-key"] == "target-42-v1"
    assert json_body(request) == {"status": "Toot!"}


def test_publish_without_key_sends_no_idempotency_header() -> None:
    recording = Recording.of("test_toot.yaml")
    recording.connect().publish(OutgoingPost(text="Toot!"))

    (request,) = recording.requests("POST", "/api/v1/statuses")
    assert "idempotency-key" not in request.headers


def test_empty_post_refused_with_the_servers_words() -> None:
    recording = Recording.of("test_status_empty.yaml")
    with pytest.raises(Permanent) as refused:
        recording.connect().publish(OutgoingPost(text="", idempotency_key="k"))

    # The recording server spoke Japanese: "validation failed: please enter Text".
    assert "Text" in refused.value.message
    assert "422" in refused.value.detail
