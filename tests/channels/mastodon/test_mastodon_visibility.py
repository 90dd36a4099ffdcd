"""Every visibility with and without a content warning, as Mastodon recorded them."""

from __future__ import annotations

import pytest
from mastodon_recordings import Recording, json_body

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent

MATRIX = [
    (warning, visibility)
    for warning in ("Content warning", None)
    for visibility in ("public", "unlisted", "private", "direct", None)
]


@pytest.mark.parametrize(("warning", "visibility"), MATRIX)
def test_visibility_and_content_warning(warning: str | None, visibility: str | None) -> None:
    cassette = f"test_status_post[{warning}-{visibility}].yaml"
    recording = Recording.of(cassette)
    recorded = recording.find("POST", "/api/v1/statuses").json()
    options = {"content_warning": warning or "", "visibility": visibility}

    published = recording.connect().publish(
        OutgoingPost(text="hello", options={k: v for k, v in options.items() if v}),
    )

    assert published.remote_id == recorded["id"]
    sent = json_body(recording.requests("POST", "/api/v1/statuses")[0])
    assert sent.get("visibility") == visibility
    assert sent.get("spoiler_text") == warning
    if visibility:
        assert recorded["visibility"] == visibility  # what the server made of it
    if warning:
        assert recorded["spoiler_text"] == warning


def test_unknown_visibility_is_refused_before_anything_is_sent() -> None:
    recording = Recording.of("test_toot.yaml")
    with pytest.raises(Permanent, match="no visibility"):
        recording.connect().publish(OutgoingPost(text="x", options={"visibility": "friends"}))
    assert recording.sent == []
